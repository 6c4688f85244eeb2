#include "kube/client_errors.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

#include "kube/api_error.hpp"

namespace shift::kube {

namespace {

std::string lowerFirst(std::string s) {
    if (!s.empty()) s[0] = char(std::tolower((unsigned char)s[0]));
    return s;
}

// libcurl names the host it failed to reach ("Failed to connect to HOST port N"): the proxy's,
// when the proxy is what is down.
bool proxyFailed(const Endpoint& to, const TransportFailure& f) {
    if (to.proxy.empty()) return false;
    return to.proxyForAll || f.detail.find("to " + to.proxyHost + " port") != std::string::npos;
}

// A plain-HTTP request to a TLS port gets no HTTP answer: nothing, a reset, or a TLS alert that
// libcurl reads as HTTP/0.9.
bool tlsPortAnswer(CURLcode code) {
    return code == CURLE_GOT_NOTHING || code == CURLE_RECV_ERROR || code == CURLE_WEIRD_SERVER_REPLY ||
           code == CURLE_UNSUPPORTED_PROTOCOL;
}

Error speaksHttps(const Endpoint& to, std::string_view what) {
    std::string https = to.server;
    if (https.rfind("http://", 0) == 0) https = "https://" + https.substr(7);
    return fail(
        fmt::format("{} answered plain HTTP with {}: the server speaks HTTPS; change the server URL to "
                    "{} in {}",
                    to.server, what, https, to.where),
        kExitApi);
}

// libcurl's text when the proxy answers CONNECT with something other than 200: the status, or 0.
long tunnelRefusal(const std::string& detail) {
    static const std::string kText = "CONNECT tunnel failed, response ";
    auto at = detail.find(kText);
    return at == std::string::npos ? 0 : std::strtol(detail.c_str() + at + kText.size(), nullptr, 10);
}

Error proxyRefused(const Endpoint& to, long status) {
    std::string proxy = to.proxy.empty() ? "(from the environment)" : to.proxy;
    std::string source = to.proxySource.empty() ? "HTTPS_PROXY" : to.proxySource;
    if (status == 407)
        return fail(
            fmt::format("the proxy {} refused the connection to {}: 407 Proxy Authentication Required; "
                        "check the user and password in {}",
                        proxy, to.server, source),
            kExitApi);
    return fail(fmt::format("the proxy {} refused the connection to {} (CONNECT answered {}); check {} and "
                            "whether the proxy allows that address",
                            proxy, to.server, status, source),
                kExitApi);
}

}  // namespace

Error transportError(const Endpoint& to, const TransportFailure& f, std::string_view method,
                     const std::string& path) {
    const std::string& server = to.server;
    const std::string& detail = f.detail;
    if (to.plainHttp && tlsPortAnswer(f.code)) return speaksHttps(to, lowerFirst(detail));
    if (long status = tunnelRefusal(detail)) return proxyRefused(to, status);
    switch (f.code) {
        case CURLE_COULDNT_CONNECT: {
            std::string why = f.osErrno ? lowerFirst(std::strerror(int(f.osErrno))) : "connection failed";
            if (proxyFailed(to, f))
                return fail(fmt::format("cannot reach the proxy {} for {}: {}; check {}", to.proxy, server,
                                        why, to.proxySource),
                            kExitApi);
            return fail(
                fmt::format("cannot reach {}: {}; check the server address in {}", server, why, to.where),
                kExitApi);
        }
        case CURLE_COULDNT_RESOLVE_HOST:
            return fail(fmt::format("cannot reach {}: unknown host; check the server address in {}", server,
                                    to.where),
                        kExitApi);
        case CURLE_COULDNT_RESOLVE_PROXY:
            return fail(fmt::format("cannot resolve the proxy {} for {}: unknown host; check {}",
                                    to.proxy.empty() ? "(from the environment)" : to.proxy, server,
                                    to.proxy.empty() ? "HTTPS_PROXY" : to.proxySource),
                        kExitApi);
        case CURLE_OPERATION_TIMEDOUT:
            // With --request-timeout=0 only the 10 s connect limit is left.
            if (to.timeoutSeconds <= 0)
                return fail(
                    fmt::format("{} did not accept a connection for {} {} within 10s; check the network",
                                server, method, path),
                    kExitApi);
            return fail(
                fmt::format(
                    "{} did not answer {} {} within {}s; check the network or raise --request-timeout",
                    server, method, path, to.timeoutSeconds),
                kExitApi);
        case CURLE_PEER_FAILED_VERIFICATION:
            if (detail.find("host name") != std::string::npos || detail.find("hostname") != std::string::npos)
                return fail(fmt::format("the TLS certificate of {} is not valid for that name: {}; check the "
                                        "server address or tls-server-name in {}",
                                        server, detail, to.where),
                            kExitApi);
            [[fallthrough]];
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
            return fail(
                fmt::format("cannot verify the TLS certificate of {}: {}; check certificate-authority in {}",
                            server, detail, to.where),
                kExitApi);
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CONNECT_ERROR:
            return fail(fmt::format("TLS handshake with {} failed: {}; check the certificates in {}", server,
                                    detail, to.where),
                        kExitApi);
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
            return fail(fmt::format("the connection to {} broke during {} {} ({}); check the network and any "
                                    "proxy or load balancer in between",
                                    server, method, path, lowerFirst(detail)),
                        kExitApi);
        default:
            return fail(fmt::format("{} {} on {} failed: {}", method, path, server, detail), kExitApi);
    }
}

std::optional<Error> foreignAnswer(const Endpoint& to, const Response& r, std::string_view method,
                                   const std::string& path) {
    if (to.plainHttp && r.status == 400 &&
        r.body.find("HTTP request to an HTTPS server") != std::string::npos)
        return speaksHttps(to, "\"400 Bad Request: Client sent an HTTP request to an HTTPS server\"");
    const std::string type = r.contentType.substr(0, r.contentType.find(';'));
    const bool html = type.rfind("text/html", 0) == 0;
    const bool json = type.find("json") != std::string::npos;
    // kube-apiserver answers JSON, except a text/plain "404 page not found" and the like on errors.
    if (html || (r.ok() && !json && !r.body.empty()))
        return fail(
            fmt::format("the answer to {} {} is not a Kubernetes API response (got {} from {}); check "
                        "the server URL in {}",
                        method, path, type.empty() ? "no content type" : type, to.server, to.where),
            kExitApi);
    return std::nullopt;
}

}  // namespace shift::kube
