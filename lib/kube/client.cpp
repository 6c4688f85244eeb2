#include "kube/client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "kube/api_error.hpp"
#include "kube/curl_api.hpp"
#include "kube/exec.hpp"
#include "kube/impersonate.hpp"

namespace shift::kube {

namespace {

// libcurl's functions, loaded by connect() before any client exists.
const CurlApi* lib = nullptr;

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

struct Slist {
    curl_slist* list = nullptr;
    Slist() = default;
    Slist(const Slist&) = delete;
    Slist& operator=(const Slist&) = delete;
    ~Slist() { lib->slist_free_all(list); }
    void add(const std::string& s) { list = lib->slist_append(list, s.c_str()); }
};

void setBlob(CURL* h, CURLoption opt, const std::string& data) {
    curl_blob blob{const_cast<char*>(data.data()), data.size(), CURL_BLOB_COPY};
    lib->easy_setopt(h, opt, &blob);
}

bool isLoopback(const std::string& host) {
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]";
}

Transport classify(CURLcode code, CURL* h) {
    switch (code) {
        case CURLE_OK:
            return Transport::kOk;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
            return Transport::kNotSent;
        case CURLE_OPERATION_TIMEDOUT: {
            curl_off_t pretransfer = 0;
            lib->easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
            return pretransfer == 0 ? Transport::kNotSent : Transport::kInterrupted;
        }
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_NOT_BUILT_IN:
        case CURLE_BAD_FUNCTION_ARGUMENT:
        case CURLE_OUT_OF_MEMORY:
            return Transport::kFatal;
        default:
            return Transport::kInterrupted;
    }
}

std::string lowerFirst(std::string s) {
    if (!s.empty()) s[0] = char(std::tolower((unsigned char)s[0]));
    return s;
}

class CurlClient final : public Client {
   public:
    CurlClient(const Cluster& c, int verbosity)
        : c_(c),
          verbosity_(verbosity),
          h_(lib->easy_init()),
          impersonation_(impersonationHeaders(c.impersonate)) {}
    ~CurlClient() override { lib->easy_cleanup(h_); }
    CurlClient(const CurlClient&) = delete;
    CurlClient& operator=(const CurlClient&) = delete;

    Status init();
    Result<Response> request(std::string_view method, const std::string& path,
                             const std::string& body) override;

   private:
    CURLcode perform(std::string_view method, const std::string& path, const std::string& body,
                     Response& out);
    Error transportError(CURLcode code, std::string_view method, const std::string& path) const;
    Status applyExecCredential(bool refresh);

    Cluster c_;
    int verbosity_;
    CURL* h_;
    Slist connectTo_;      // must outlive the handle's transfers
    std::string urlBase_;  // c_.server, or with the host replaced by tls-server-name (see init)
    std::string bearer_;
    std::optional<ExecAuthenticator> exec_;
    bool execRefreshed_ = false;
    char errbuf_[CURL_ERROR_SIZE] = {};
    std::vector<std::string> impersonation_;  // Impersonate-* header lines, the same on every request
};

Status CurlClient::init() {
    if (!h_) return fail("cannot initialise libcurl", kExitApi);
    CURL* h = h_;
    lib->easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf_);
    lib->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    lib->easy_setopt(h, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_2TLS));
    lib->easy_setopt(h, CURLOPT_USERAGENT, "shift/0.1");
    lib->easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    const long totalMs = long(c_.timeoutSeconds * 1000);
    lib->easy_setopt(h, CURLOPT_TIMEOUT_MS, totalMs);
    lib->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(totalMs, 10000L));
    lib->easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
    lib->easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);

    urlBase_ = c_.server;
    CURLU* u = lib->url();
    std::string host, port;
    if (lib->url_set(u, CURLUPART_URL, c_.server.c_str(), 0) == CURLUE_OK) {
        char* part = nullptr;
        if (lib->url_get(u, CURLUPART_HOST, &part, 0) == CURLUE_OK) host = part, lib->free(part);
        if (lib->url_get(u, CURLUPART_PORT, &part, CURLU_DEFAULT_PORT) == CURLUE_OK)
            port = part, lib->free(part);
        // libcurl cannot set SNI apart from the URL host, so the URL names tls-server-name (SNI and
        // certificate check) and CONNECT_TO sends the connection to the real server.
        if (!c_.tlsServerName.empty() && !host.empty()) {
            lib->url_set(u, CURLUPART_HOST, c_.tlsServerName.c_str(), 0);
            char* url = nullptr;
            if (lib->url_get(u, CURLUPART_URL, &url, 0) == CURLUE_OK) {
                urlBase_ = url;
                lib->free(url);
                while (!urlBase_.empty() && urlBase_.back() == '/') urlBase_.pop_back();
                connectTo_.add(fmt::format("{}:{}:{}:{}", c_.tlsServerName, port, host, port));
                lib->easy_setopt(h, CURLOPT_CONNECT_TO, connectTo_.list);
            }
        }
    }
    lib->url_cleanup(u);

    if (!c_.proxyUrl.empty()) {
        lib->easy_setopt(h, CURLOPT_PROXY, c_.proxyUrl.c_str());
        lib->easy_setopt(h, CURLOPT_NOPROXY, "");  // proxy-url applies to every request, as in client-go
    } else if (isLoopback(host)) {
        lib->easy_setopt(h, CURLOPT_PROXY, "");  // Go never proxies loopback; libcurl would
    }

    if (c_.insecureSkipTlsVerify) {
        lib->easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        lib->easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
        fmt::print(stderr,
                   "warning: not verifying the TLS certificate of {} (insecure-skip-tls-verify in {})\n",
                   c_.server, c_.origin);
    } else if (!c_.caData.empty()) {
        setBlob(h, CURLOPT_CAINFO_BLOB, c_.caData);
        lib->easy_setopt(h, CURLOPT_CAPATH, nullptr);  // only the kubeconfig's CA, as client-go
    } else if (!c_.caFile.empty()) {
        lib->easy_setopt(h, CURLOPT_CAINFO, c_.caFile.c_str());
        lib->easy_setopt(h, CURLOPT_CAPATH, nullptr);
    }

    if (!c_.clientCertData.empty())
        setBlob(h, CURLOPT_SSLCERT_BLOB, c_.clientCertData);
    else if (!c_.clientCertFile.empty())
        lib->easy_setopt(h, CURLOPT_SSLCERT, c_.clientCertFile.c_str());
    if (!c_.clientKeyData.empty())
        setBlob(h, CURLOPT_SSLKEY_BLOB, c_.clientKeyData);
    else if (!c_.clientKeyFile.empty())
        lib->easy_setopt(h, CURLOPT_SSLKEY, c_.clientKeyFile.c_str());

    auto token = bearerToken(c_);
    if (!token) return token.error();
    bearer_ = *token;
    const bool basic = !c_.username.empty() || !c_.password.empty();
    if (bearer_.empty() && basic) {
        lib->easy_setopt(h, CURLOPT_HTTPAUTH, long(CURLAUTH_BASIC));
        lib->easy_setopt(h, CURLOPT_USERNAME, c_.username.c_str());
        lib->easy_setopt(h, CURLOPT_PASSWORD, c_.password.c_str());
    }
    const bool cert = !c_.clientCertData.empty() || !c_.clientCertFile.empty();
    // client-go consults the exec plugin only when no token, basic auth or certificate is set.
    if (c_.exec && bearer_.empty() && !basic && !cert) {
        std::optional<ExecClusterInfo> info;
        if (c_.exec->provideClusterInfo) {
            ExecClusterInfo i{c_.server, c_.tlsServerName,           c_.proxyUrl, c_.insecureSkipTlsVerify,
                              c_.caData, c_.execClusterExtensionJson};
            if (i.caData.empty() && !c_.caFile.empty())
                if (auto ca = readFile(c_.caFile, "certificate-authority")) i.caData = *ca;
            info = std::move(i);
        }
        exec_.emplace(*c_.exec, std::move(info));
    }
    return okStatus();
}

Status CurlClient::applyExecCredential(bool refresh) {
    auto cred = refresh ? exec_->refresh() : exec_->credential();
    if (!cred) return cred.error();
    bearer_ = cred->token;
    if (!cred->clientCertificateData.empty()) {
        setBlob(h_, CURLOPT_SSLCERT_BLOB, cred->clientCertificateData);
        setBlob(h_, CURLOPT_SSLKEY_BLOB, cred->clientKeyData);
    }
    return okStatus();
}

CURLcode CurlClient::perform(std::string_view method, const std::string& path, const std::string& body,
                             Response& out) {
    out = Response{};
    errbuf_[0] = '\0';
    CURL* h = h_;
    const std::string url = urlBase_ + path;
    lib->easy_setopt(h, CURLOPT_URL, url.c_str());
    lib->easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
    lib->easy_setopt(h, CURLOPT_HEADERDATA, &out.headers);
    Slist headers;
    headers.add("Accept: application/json");
    if (!bearer_.empty()) headers.add("Authorization: Bearer " + bearer_);
    for (const auto& line : impersonation_) headers.add(line);
    if (method == "GET") {
        lib->easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr);
        lib->easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        headers.add("Content-Type: application/json");
        headers.add("Expect:");  // no 100-continue round trip
        lib->easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
        lib->easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
        lib->easy_setopt(h, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());  // copied by libcurl
    }
    lib->easy_setopt(h, CURLOPT_HTTPHEADER, headers.list);
    CURLcode code = lib->easy_perform(h);
    lib->easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    if (code == CURLE_OK) {
        lib->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
        char* ct = nullptr;
        if (lib->easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) out.contentType = ct;
    }
    curl_off_t us = 0;
    lib->easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &us);
    out.seconds = double(us) / 1e6;
    return code;
}

Error CurlClient::transportError(CURLcode code, std::string_view method, const std::string& path) const {
    std::string detail = errbuf_[0] ? errbuf_ : lib->easy_strerror(code);
    const std::string where =
        c_.contextName.empty() ? c_.origin : fmt::format("kubeconfig context \"{}\"", c_.contextName);
    switch (code) {
        case CURLE_COULDNT_CONNECT: {
            long err = 0;
            lib->easy_getinfo(h_, CURLINFO_OS_ERRNO, &err);
            std::string why = err ? lowerFirst(std::strerror(int(err))) : "connection failed";
            return fail(
                fmt::format("cannot reach {}: {}; check the server address in {}", c_.server, why, where),
                kExitApi);
        }
        case CURLE_COULDNT_RESOLVE_HOST:
            return fail(fmt::format("cannot reach {}: unknown host; check the server address in {}",
                                    c_.server, where),
                        kExitApi);
        case CURLE_COULDNT_RESOLVE_PROXY:
            return fail(fmt::format("cannot resolve the proxy for {}: {}; check proxy-url or HTTPS_PROXY",
                                    c_.server, detail),
                        kExitApi);
        case CURLE_OPERATION_TIMEDOUT:
            return fail(
                fmt::format(
                    "{} did not answer {} {} within {}s; check the network or raise --request-timeout",
                    c_.server, method, path, c_.timeoutSeconds),
                kExitApi);
        case CURLE_PEER_FAILED_VERIFICATION:
            if (detail.find("host name") != std::string::npos || detail.find("hostname") != std::string::npos)
                return fail(fmt::format("the TLS certificate of {} is not valid for that name: {}; check the "
                                        "server address or "
                                        "tls-server-name in {}",
                                        c_.server, detail, where),
                            kExitApi);
            [[fallthrough]];
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
            return fail(
                fmt::format("cannot verify the TLS certificate of {}: {}; check certificate-authority in {}",
                            c_.server, detail, where),
                kExitApi);
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CONNECT_ERROR:
            return fail(fmt::format("TLS handshake with {} failed: {}; check the certificates in {}",
                                    c_.server, detail, where),
                        kExitApi);
        default:
            return fail(fmt::format("{} {} on {} failed: {}", method, path, c_.server, detail), kExitApi);
    }
}

Result<Response> CurlClient::request(std::string_view method, const std::string& path,
                                     const std::string& body) {
    if (exec_)
        if (Status s = applyExecCredential(false); !s) return s.error();
    const auto start = std::chrono::steady_clock::now();
    Response out;
    for (int retry = 0;; ++retry) {
        CURLcode code = perform(method, path, body, out);
        Attempt attempt{classify(code, h_), out.status, std::nullopt};
        if (auto it = out.headers.find("retry-after"); it != out.headers.end())
            attempt.retryAfterSeconds = parseRetryAfter(it->second);

        // A 401 with plugin credentials: they may have been revoked early; run the plugin once more.
        if (code == CURLE_OK && out.status == 401 && exec_ && !execRefreshed_) {
            execRefreshed_ = true;
            if (verbosity_ > 0)
                fmt::print(stderr, "{} {}{} 401 Unauthorized; re-running the exec plugin\n", method,
                           c_.server, path);
            if (Status s = applyExecCredential(true); !s) return s.error();
            --retry;
            continue;
        }
        // Seconds before the next try; negative: no retry. (A plain double: GCC 12 warns falsely
        // about std::optional<double> here.)
        double delay = retryDelay(method, retry, attempt).value_or(-1);
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (delay >= 0 && elapsed + delay > c_.timeoutSeconds) delay = -1;
        if (verbosity_ > 0) {
            std::string outcome = code == CURLE_OK
                                      ? fmt::format("{} {}", out.status, httpStatusText(out.status))
                                      : fmt::format("failed ({})", lib->easy_strerror(code));
            fmt::print(stderr, "{} {}{} {} in {:.1f}ms{}\n", method, c_.server, path, outcome,
                       out.seconds * 1000,
                       delay >= 0 ? fmt::format("; retrying in {:.0f}ms", delay * 1000) : "");
        }
        if (delay < 0) {
            if (code != CURLE_OK) {
                Error e = transportError(code, method, path);
                // The write may have reached the server and been applied; saying nothing changed would
                // mislead.
                if (attempt.transport == Transport::kInterrupted && method != "GET" && method != "HEAD")
                    e.message +=
                        "; the server may have applied it before the connection broke: run again to see the "
                        "current state";
                return e;
            }
            return out;
        }
        std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    }
}

}  // namespace

std::unique_ptr<Client> connect(const Cluster& cluster, int verbosity) {
    // connect() cannot return an error itself; it surfaces on the first request.
    struct Failed final : Client {
        Error e;
        explicit Failed(Error err) : e(std::move(err)) {}
        Result<Response> request(std::string_view, const std::string&, const std::string&) override {
            return e;
        }
    };
    auto api = curlApi();
    if (!api) return std::make_unique<Failed>(api.error());
    lib = *api;
    auto client = std::make_unique<CurlClient>(cluster, verbosity);
    if (Status s = client->init(); !s) return std::make_unique<Failed>(s.error());
    return client;
}

}  // namespace shift::kube
