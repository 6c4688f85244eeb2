#include "kube/redact.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace shift::kube {

namespace {

using nlohmann::json;

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool endsWith(std::string_view s, std::string_view end) {
    return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}

// Query parameters that carry credentials: access_token, token, password, sig, X-Amz-Signature, key...
bool secretParam(std::string_view name) {
    const std::string n = lower(name);
    for (const char* word : {"token", "pass", "secret", "key", "sig", "auth", "credential"})
        if (n.find(word) != std::string::npos) return true;
    return false;
}

// JSON fields that hold credentials (token, bearerToken, password, clientKeyData, privateKey), but
// not ordinary fields that merely mention one (a label selector's key, credentialName).
bool secretField(std::string_view name) {
    std::string n = lower(name);
    std::erase_if(n, [](char c) { return c == '-' || c == '_'; });
    for (const char* end : {"token", "password", "secret", "privatekey", "keydata"})
        if (endsWith(n, end)) return true;
    return false;
}

std::string redactQuery(std::string_view query) {
    std::string out;
    for (std::size_t start = 0; start <= query.size();) {
        std::size_t end = std::min(query.find('&', start), query.size());
        std::string_view param = query.substr(start, end - start);
        std::size_t eq = param.find('=');
        if (!out.empty() || start > 0) out += '&';
        if (eq != std::string_view::npos && secretParam(param.substr(0, eq)))
            out += std::string(param.substr(0, eq + 1)) + kRedacted;
        else
            out += param;
        start = end + 1;
    }
    return out;
}

void redactJson(json& j) {
    if (j.is_array()) {
        for (json& item : j) redactJson(item);
        return;
    }
    if (!j.is_object()) return;
    const bool secret = j.contains("kind") && j["kind"] == "Secret";
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (secret && (it.key() == "data" || it.key() == "stringData") && it->is_object()) {
            for (json& v : *it) v = kRedacted;
        } else if (it->is_string() && secretField(it.key())) {
            *it = kRedacted;
        } else {
            redactJson(*it);
        }
    }
}

}  // namespace

std::string redactUrl(std::string_view url) {
    std::string out;
    std::size_t scheme = url.find("://");
    std::size_t hostStart = scheme == std::string_view::npos ? 0 : scheme + 3;
    std::size_t authorityEnd = std::min(url.find_first_of("/?#", hostStart), url.size());
    std::size_t at = url.substr(0, authorityEnd).rfind('@');
    if (at != std::string_view::npos && at >= hostStart) {
        std::string_view userinfo = url.substr(hostStart, at - hostStart);
        std::size_t colon = userinfo.find(':');
        out = std::string(url.substr(0, hostStart));
        // Go keeps the user name of user:password; a lone name may itself be the token.
        out += colon == std::string_view::npos ? kRedacted
                                               : std::string(userinfo.substr(0, colon + 1)) + kRedacted;
        out += url.substr(at, authorityEnd - at);
    } else {
        out = std::string(url.substr(0, authorityEnd));
    }
    std::string_view rest = url.substr(authorityEnd);
    std::size_t q = rest.find('?');
    if (q == std::string_view::npos) return out + std::string(rest);
    std::size_t hash = std::min(rest.find('#', q), rest.size());
    return out + std::string(rest.substr(0, q + 1)) + redactQuery(rest.substr(q + 1, hash - q - 1)) +
           std::string(rest.substr(hash));
}

std::string redactHeader(std::string_view name, std::string_view value) {
    const std::string n = lower(name);
    if (n == "authorization" || n == "proxy-authorization") {
        std::size_t space = value.find(' ');  // keep the scheme: "Bearer xxxxx"
        return space == std::string_view::npos ? kRedacted
                                               : std::string(value.substr(0, space + 1)) + kRedacted;
    }
    if (n == "cookie" || n == "set-cookie" || n.rfind("impersonate-", 0) == 0) return kRedacted;
    return std::string(value);
}

std::string redactBody(std::string_view body) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded()) return fmt::format("({} bytes, not JSON)", body.size());
    redactJson(j);
    return j.dump();
}

}  // namespace shift::kube
