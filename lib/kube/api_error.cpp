#include "kube/api_error.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <regex>

namespace shift::kube {

namespace {

using nlohmann::json;

std::string str(const json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string singular(const std::string& resource) {
    return !resource.empty() && resource.back() == 's' ? resource.substr(0, resource.size() - 1) : resource;
}

// A short, single-line excerpt of a body that is not a Status.
std::string excerpt(const std::string& body) {
    std::string out;
    for (char c : body) {
        if (out.size() >= 200) return out + "...";
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string forbidden(const KubeStatus* st, const RequestInfo& info) {
    const std::string qualified = info.group.empty() ? info.resource : info.resource + "." + info.group;
    const std::string fix = fmt::format("; ask for RBAC {} on {}", info.verb, info.resource);
    const std::string message = st ? st->message : std::string();
    // kube-apiserver's RBAC wording: User "u" cannot get resource "r" in API group "g" in the namespace "n"
    static const std::regex rbac(
        R"re((User|ServiceAccount|Group) "([^"]*)" cannot (\S+) resource "([^"]*)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]*)")?)re");
    std::smatch m;
    if (std::regex_search(message, m, rbac)) {
        std::string res = m[5].str().empty() ? m[4].str() : m[4].str() + "." + m[5].str();
        std::string where =
            m[6].matched ? fmt::format(" in namespace \"{}\"", m[6].str()) : " at cluster scope";
        return fmt::format("forbidden: {} \"{}\" cannot {} {}{}; ask for RBAC {} on {}", m[1].str(),
                           m[2].str(), m[3].str(), res, where, m[3].str(), m[4].str());
    }
    if (!message.empty()) return "forbidden: " + message;  // not RBAC's wording: advice could mislead
    return fmt::format("forbidden: cannot {} {} in namespace \"{}\"{}", info.verb, qualified, info.ns, fix);
}

}  // namespace

std::optional<KubeStatus> parseStatus(const Response& r) {
    if (r.contentType.find("json") == std::string::npos && !r.contentType.empty()) return std::nullopt;
    json doc = json::parse(r.body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || str(doc, "kind") != "Status") return std::nullopt;
    KubeStatus st;
    st.code = doc.value("code", 0L);
    st.reason = str(doc, "reason");
    st.message = str(doc, "message");
    if (auto d = doc.find("details"); d != doc.end() && d->is_object()) {
        st.kind = str(*d, "kind");
        st.group = str(*d, "group");
        st.name = str(*d, "name");
        if (auto cs = d->find("causes"); cs != d->end() && cs->is_array())
            for (const auto& c : *cs)
                if (c.is_object())
                    st.causes.push_back({str(c, "reason"), str(c, "message"), str(c, "field")});
    }
    return st;
}

const char* httpStatusText(long s) {
    switch (s) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 406:
            return "Not Acceptable";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 413:
            return "Request Entity Too Large";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Entity";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        default:
            return "";
    }
}

Error responseError(const Response& r, const RequestInfo& info) {
    const std::optional<KubeStatus> st = parseStatus(r);
    const std::string message = st && !st->message.empty() ? st->message : excerpt(r.body);
    const std::string code = fmt::format("{} {}", r.status, httpStatusText(r.status));
    std::string text;
    switch (r.status) {
        case 401:
            text =
                info.contextName.empty()
                    ? fmt::format("the server rejected the credentials ({}); check the service account token",
                                  code)
                    : fmt::format(
                          "the server rejected the credentials of context \"{}\" ({}); check the token or "
                          "certificate",
                          info.contextName, code);
            break;
        case 403:
            text = forbidden(st ? &*st : nullptr, info);
            break;
        case 404:
            if (st && !info.name.empty())
                text = fmt::format("{} \"{}\" not found in namespace \"{}\"", singular(info.resource),
                                   info.name, info.ns);
            else
                text = fmt::format("the server does not serve {} ({}): {}", info.resource, code, message);
            break;
        case 400:
        case 422: {
            std::string causes;
            if (st)
                for (const auto& c : st->causes) {
                    // kube adds a field-less "some validation rules were not checked" after schema errors.
                    if (c.field == "<nil>" && st->causes.size() > 1) continue;
                    if (!causes.empty()) causes += "; ";
                    causes += c.field.empty() ? c.message : c.field + ": " + c.message;
                }
            text = "the server rejected the change: " + (causes.empty() ? message : causes);
            break;
        }
        case 429:
            text = fmt::format("the server is too busy ({}) to {} {}; try again shortly", code, info.verb,
                               info.resource);
            break;
        case 500:
            // etcd refuses objects over its request limit (1.5 MiB by default; 2 MiB at the gRPC layer).
            if (message.find("request is too large") != std::string::npos ||
                message.find("ResourceExhausted") != std::string::npos) {
                text = fmt::format(
                    "the server cannot store {} \"{}\" that large ({} {}: {}); etcd keeps objects under 1.5 "
                    "MiB by "
                    "default: split the {} into several",
                    singular(info.resource), info.name, r.status, httpStatusText(r.status), message,
                    singular(info.resource));
                break;
            }
            [[fallthrough]];
        default:
            text = fmt::format(
                "{} {} failed: {}{}", info.verb,
                info.name.empty() ? info.resource : singular(info.resource) + " \"" + info.name + "\"", code,
                message.empty() ? "" : ": " + message);
    }
    return fail(text, kExitApi);
}

}  // namespace shift::kube
