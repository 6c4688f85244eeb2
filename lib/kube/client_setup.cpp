// CurlClient::init in steps: transfer options, server URL, proxy, TLS, client certificate, auth.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include "kube/curl_client.hpp"
#include "kube/impersonate.hpp"
#include "kube/redact.hpp"

namespace shift::kube::detail {

namespace {

size_t onBody(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

size_t onHeader(char* data, size_t size, size_t n, void* user) {
    auto* headers = static_cast<std::map<std::string, std::string>*>(user);
    std::string_view line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();  // a new response (after 100 Continue or a retry on the same handle)
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && std::isspace((unsigned char)value.back())) value.remove_suffix(1);
        (*headers)[name] = std::string(value);
    }
    return size * n;
}

std::string urlPart(CURLU* u, CURLUPart what, unsigned int flags) {
    char* part = nullptr;
    if (lib->url_get(u, what, &part, flags) != CURLUE_OK) return {};
    std::string out = part;
    lib->free(part);
    return out;
}

bool isLoopback(const std::string& host) {
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]";
}

// A path the kubeconfig names must be readable: libcurl would only say the TLS setup failed.
Status readable(const std::string& path, const char* field, const std::string& where) {
    if (path.empty() || ::access(path.c_str(), R_OK) == 0) return okStatus();
    return fail(
        fmt::format("cannot read {} {}: {}; fix {} in {}", field, path, std::strerror(errno), field, where));
}

}  // namespace

void setBlob(CURL* h, CURLoption opt, const std::string& data) {
    curl_blob blob{const_cast<char*>(data.data()), data.size(), CURL_BLOB_COPY};
    lib->easy_setopt(h, opt, &blob);
}

CurlClient::~CurlClient() {
    lib->easy_cleanup(h_);
    if (share_) lib->share_cleanup(share_);
}

Status CurlClient::init() {
    if (!h_) return fail("cannot initialise libcurl", kExitApi);
    // requestMany's handles take the connection h_ opened (and its TLS session) from this cache.
    if ((share_ = lib->share_init())) {
        lib->share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
        lib->share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        lib->share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        lib->easy_setopt(h_, CURLOPT_SHARE, share_);
    }
    to_.where = c_.contextName.empty() ? c_.origin : fmt::format("kubeconfig context \"{}\"", c_.contextName);
    to_.server = redactUrl(c_.server);
    to_.plainHttp = c_.server.rfind("http://", 0) == 0;
    to_.timeoutSeconds = c_.timeoutSeconds;
    setTransferOptions();
    setProxy(setServerUrl());
    if (Status s = setTls(); !s) return s;
    if (Status s = setClientCertificate(); !s) return s;
    return setAuth();
}

void CurlClient::setTransferOptions() {
    CURL* h = h_;
    lib->easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf_);
    lib->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    lib->easy_setopt(h, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_2TLS));
    lib->easy_setopt(h, CURLOPT_USERAGENT, "shift/0.1");
    lib->easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    // --request-timeout=0 is no overall timeout (libcurl's 0), as in kubectl; connecting still gives
    // up after 10 s, as kubectl's dialer does after its own limit.
    const long totalMs = c_.timeoutSeconds > 0 ? std::max(1L, long(c_.timeoutSeconds * 1000)) : 0L;
    lib->easy_setopt(h, CURLOPT_TIMEOUT_MS, totalMs);
    lib->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, totalMs > 0 ? std::min(totalMs, 10000L) : 10000L);
    lib->easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
    lib->easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);
}

// Sets urlBase_ (and CONNECT_TO for tls-server-name); returns the server's host.
std::string CurlClient::setServerUrl() {
    urlBase_ = c_.server;
    CURLU* u = lib->url();
    std::string host, port;
    if (lib->url_set(u, CURLUPART_URL, c_.server.c_str(), 0) == CURLUE_OK) {
        host = urlPart(u, CURLUPART_HOST, 0);
        port = urlPart(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
        // libcurl cannot set SNI apart from the URL host, so the URL names tls-server-name (SNI and
        // certificate check) and CONNECT_TO sends the connection to the real server.
        if (!c_.tlsServerName.empty() && !host.empty()) {
            lib->url_set(u, CURLUPART_HOST, c_.tlsServerName.c_str(), 0);
            if (std::string url = urlPart(u, CURLUPART_URL, 0); !url.empty()) {
                urlBase_ = url;
                while (!urlBase_.empty() && urlBase_.back() == '/') urlBase_.pop_back();
                connectTo_.add(fmt::format("{}:{}:{}:{}", c_.tlsServerName, port, host, port));
                lib->easy_setopt(h_, CURLOPT_CONNECT_TO, connectTo_.list);
            }
        }
    }
    lib->url_cleanup(u);
    return host;
}

void CurlClient::setProxy(const std::string& host) {
    if (!c_.proxyUrl.empty()) {
        lib->easy_setopt(h_, CURLOPT_PROXY, c_.proxyUrl.c_str());
        lib->easy_setopt(h_, CURLOPT_NOPROXY, "");  // proxy-url applies to every request, as in client-go
        to_.proxy = redactUrl(c_.proxyUrl);
        to_.proxySource = "proxy-url in " + to_.where;
        to_.proxyForAll = true;
    } else if (isLoopback(host)) {
        lib->easy_setopt(h_, CURLOPT_PROXY, "");  // Go never proxies loopback; libcurl would
    } else {
        // libcurl reads the same variables as Go (NO_PROXY aside): name the proxy when it fails.
        const char* names[] = {"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"};
        for (std::size_t i = to_.plainHttp ? 2 : 0; i < (to_.plainHttp ? 3u : 2u); ++i) {
            const char* v = std::getenv(names[i]);
            if (!v || !*v) continue;
            to_.proxy = redactUrl(v);
            to_.proxySource = names[i];
            break;
        }
    }
    if (!to_.proxy.empty()) {
        CURLU* u = lib->url();
        std::string proxy = to_.proxy.find("://") == std::string::npos ? "http://" + to_.proxy : to_.proxy;
        if (lib->url_set(u, CURLUPART_URL, proxy.c_str(), 0) == CURLUE_OK)
            to_.proxyHost = urlPart(u, CURLUPART_HOST, 0);
        lib->url_cleanup(u);
    }
}

Status CurlClient::setTls() {
    CURL* h = h_;
    if (c_.insecureSkipTlsVerify) {
        lib->easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        lib->easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
        fmt::print(stderr,
                   "warning: not verifying the TLS certificate of {} (insecure-skip-tls-verify in {})\n",
                   to_.server, c_.origin);
    } else if (!c_.caData.empty()) {
        setBlob(h, CURLOPT_CAINFO_BLOB, c_.caData);
        lib->easy_setopt(h, CURLOPT_CAPATH, nullptr);  // only the kubeconfig's CA, as client-go
    } else if (!c_.caFile.empty()) {
        if (Status s = readable(c_.caFile, "certificate-authority", to_.where); !s) return s;
        lib->easy_setopt(h, CURLOPT_CAINFO, c_.caFile.c_str());
        lib->easy_setopt(h, CURLOPT_CAPATH, nullptr);
    }
    return okStatus();
}

Status CurlClient::setClientCertificate() {
    CURL* h = h_;
    if (!c_.clientCertData.empty()) {
        setBlob(h, CURLOPT_SSLCERT_BLOB, c_.clientCertData);
    } else if (!c_.clientCertFile.empty()) {
        if (Status s = readable(c_.clientCertFile, "client-certificate", to_.where); !s) return s;
        lib->easy_setopt(h, CURLOPT_SSLCERT, c_.clientCertFile.c_str());
    }
    if (!c_.clientKeyData.empty()) {
        setBlob(h, CURLOPT_SSLKEY_BLOB, c_.clientKeyData);
    } else if (!c_.clientKeyFile.empty()) {
        if (Status s = readable(c_.clientKeyFile, "client-key", to_.where); !s) return s;
        lib->easy_setopt(h, CURLOPT_SSLKEY, c_.clientKeyFile.c_str());
    }
    return okStatus();
}

Status CurlClient::setAuth() {
    auto token = bearerToken(c_);
    if (!token) return token.error();
    bearer_ = *token;
    const bool basic = !c_.username.empty() || !c_.password.empty();
    if (bearer_.empty() && basic) {
        lib->easy_setopt(h_, CURLOPT_HTTPAUTH, long(CURLAUTH_BASIC));
        lib->easy_setopt(h_, CURLOPT_USERNAME, c_.username.c_str());
        lib->easy_setopt(h_, CURLOPT_PASSWORD, c_.password.c_str());
    }
    const bool cert = !c_.clientCertData.empty() || !c_.clientCertFile.empty();
    // client-go consults the exec plugin only when no token, basic auth or certificate is set.
    if (!c_.exec || !bearer_.empty() || basic || cert) return okStatus();
    std::optional<ExecClusterInfo> info;
    if (c_.exec->provideClusterInfo) {
        ExecClusterInfo i{c_.server, c_.tlsServerName,           c_.proxyUrl, c_.insecureSkipTlsVerify,
                          c_.caData, c_.execClusterExtensionJson};
        if (i.caData.empty() && !c_.caFile.empty())
            if (auto ca = readFile(c_.caFile, "certificate-authority")) i.caData = *ca;
        info = std::move(i);
    }
    exec_.emplace(*c_.exec, std::move(info));
    exec_->timeoutSeconds = c_.timeoutSeconds;
    return okStatus();
}

}  // namespace shift::kube::detail
