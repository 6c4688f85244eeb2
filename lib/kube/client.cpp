// Requests with retries, the exec plugin's credentials and -v tracing; connect() builds the client.
#include "kube/client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "kube/api_error.hpp"
#include "kube/curl_client.hpp"
#include "kube/redact.hpp"
#include "kube/trace.hpp"

namespace shift::kube {

std::string withServerTimeout(const std::string& path, double seconds) {
    if (seconds <= 0) return path;
    auto ms = static_cast<long long>(seconds * 1000 + 0.5);
    std::string value = ms % 1000 == 0 ? fmt::format("{}s", ms / 1000) : fmt::format("{}ms", ms);
    return path + (path.find('?') == std::string::npos ? "?" : "&") + "timeout=" + value;
}

namespace detail {

const CurlApi* lib = nullptr;

namespace {

// reused: the request went out on a connection an earlier answer came over. When that connection turns
// out dead, libcurl sends the request again on a fresh one by itself, and reports only how that ended:
// a refused connect then says nothing of the first try, which the server may have carried out (seen:
// a PUT applied, its answer lost to a restart, reported as "Couldn't connect").
Transport classify(CURLcode code, CURL* h, bool reused) {
    switch (code) {
        case CURLE_OK:
            return Transport::kOk;
        case CURLE_COULDNT_CONNECT:
            return reused ? Transport::kInterrupted : Transport::kNotSent;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
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

}  // namespace

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

std::vector<std::string> CurlClient::headerLines(std::string_view method) const {
    std::vector<std::string> lines{"Accept: application/json"};
    if (!bearer_.empty()) lines.push_back("Authorization: Bearer " + bearer_);
    // libcurl writes the basic-auth header itself; -vv shows that one is sent.
    else if (!c_.username.empty() || !c_.password.empty())
        lines.push_back("Authorization: Basic " + std::string(kRedacted));
    lines.insert(lines.end(), impersonation_.begin(), impersonation_.end());
    if (method != "GET") {
        lines.push_back("Content-Type: application/json");
        lines.push_back("Expect:");  // no 100-continue round trip
    }
    return lines;
}

void CurlClient::setRequest(CURL* h, std::string_view method, const std::string& url, const std::string& body,
                            const Slist& headers, Response& out, void* writeData) {
    lib->easy_setopt(h, CURLOPT_URL, url.c_str());
    lib->easy_setopt(h, CURLOPT_WRITEDATA, writeData ? writeData : &out.body);
    lib->easy_setopt(h, CURLOPT_HEADERDATA, &out.headers);
    if (method == "GET") {
        lib->easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr);
        lib->easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        lib->easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
        lib->easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
        lib->easy_setopt(h, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());  // copied by libcurl
    }
    lib->easy_setopt(h, CURLOPT_HTTPHEADER, headers.list);
}

void CurlClient::readAnswer(CURL* h, CURLcode code, Response& out) const {
    if (code == CURLE_OK) {
        lib->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
        char* ct = nullptr;
        if (lib->easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) out.contentType = ct;
    }
    curl_off_t us = 0;
    lib->easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &us);
    out.seconds = double(us) / 1e6;
}

CURLcode CurlClient::perform(std::string_view method, const std::string& path, const std::string& body,
                             const std::vector<std::string>& headerLines, Response& out, void* writeData) {
    out = Response{};
    errbuf_[0] = '\0';
    // A stream (writeData set) is long-running: the server ends it by its own timeoutSeconds=.
    const std::string url = urlBase_ + (writeData ? path : withServerTimeout(path, c_.timeoutSeconds));
    Slist headers;
    for (const std::string& line : headerLines)
        if (line.rfind("Authorization: Basic ", 0) != 0) headers.add(line);
    setRequest(h_, method, url, body, headers, out, writeData);
    CURLcode code = lib->easy_perform(h_);
    lib->easy_setopt(h_, CURLOPT_HTTPHEADER, nullptr);
    readAnswer(h_, code, out);
    if (code == CURLE_OK) {
        long version = 0;
        lib->easy_getinfo(h_, CURLINFO_HTTP_VERSION, &version);
        http2_ = version == CURL_HTTP_VERSION_2_0;
    }
    return code;
}

Error CurlClient::failure(CURLcode code, std::string_view method, const std::string& path, CURL* h,
                          const char* errbuf) const {
    TransportFailure f{code, errbuf[0] ? errbuf : lib->easy_strerror(code), 0};
    lib->easy_getinfo(h, CURLINFO_OS_ERRNO, &f.osErrno);
    Endpoint to = to_;
    // Once the server has answered in HTTP, a later empty reply is not the HTTPS port's silence.
    if (answeredHttp_) to.plainHttp = false;
    // libcurl's text may quote a URL; keep the kubeconfig's secrets out of it.
    for (const std::string& secret : {c_.password, bearer_})
        for (std::size_t at; !secret.empty() && (at = f.detail.find(secret)) != std::string::npos;)
            f.detail.replace(at, secret.size(), kRedacted);
    return transportError(to, f, method, path);
}

void CurlClient::traceAttempt(std::string_view method, const std::string& path, const std::string& body,
                              CURLcode code, const Response& out, double delay) const {
    if (verbosity_ < 1) return;
    Exchange e{method, to_.server + path, headerLines(method), body, &out, "", ""};
    e.outcome = code == CURLE_OK ? fmt::format("{} {}", out.status, httpStatusText(out.status))
                                 : fmt::format("failed ({})", lib->easy_strerror(code));
    if (delay >= 0) e.retry = fmt::format("; retrying in {:.0f}ms", delay * 1000);
    trace(verbosity_, e);
}

// The rules every request follows after each attempt, alone or in a batch: retries and their delays,
// the exec plugin's second chance on a 401, -v tracing, and what the answer or failure means.
Verdict CurlClient::judge(const Attempted& a, Response& out) {
    if (a.code == CURLE_OK) answeredHttp_ = true;
    connectionLive_ = a.code == CURLE_OK;
    Attempt attempt{classify(a.code, a.h, a.reused), out.status, std::nullopt};
    if (auto it = out.headers.find("retry-after"); it != out.headers.end())
        attempt.retryAfterSeconds = parseRetryAfter(it->second);

    // A 401 with plugin credentials: they may have been revoked early; run the plugin once more.
    if (a.code == CURLE_OK && out.status == 401 && exec_ && !execRefreshed_) {
        execRefreshed_ = true;
        if (verbosity_ > 0)
            fmt::print(stderr, "{} {}{} 401 Unauthorized; re-running the exec plugin\n", a.method, to_.server,
                       a.path);
        if (Status s = applyExecCredential(true); !s)
            return Verdict{Verdict::Next::Done, 0, Result<Response>(s.error())};
        return Verdict{Verdict::Next::Refreshed, 0, std::nullopt};
    }
    // Seconds before the next try; negative: no retry. (A plain double: GCC 12 warns falsely
    // about std::optional<double> here.)
    double delay = retryDelay(a.method, a.retry, attempt).value_or(-1);
    if (delay >= 0 && c_.timeoutSeconds > 0 && a.elapsed + delay > c_.timeoutSeconds) delay = -1;
    traceAttempt(a.method, a.path, a.body, a.code, out, delay);
    if (delay >= 0) return Verdict{Verdict::Next::Retry, delay, std::nullopt};
    if (a.code == CURLE_OK) {
        if (auto foreign = foreignAnswer(to_, out, a.method, a.path))
            return Verdict{{}, 0, Result<Response>(*foreign)};
        return Verdict{{}, 0, Result<Response>(std::move(out))};
    }
    Error e = failure(a.code, a.method, a.path, a.h, a.errbuf);
    // The write may have reached the server and been applied; saying nothing changed would mislead.
    if (attempt.transport == Transport::kInterrupted && a.method != "GET" && a.method != "HEAD") {
        e.message +=
            "; the server may have applied it before the connection broke: run again to see the current "
            "state";
        e.maybeApplied = true;
    }
    return Verdict{{}, 0, Result<Response>(std::move(e))};
}

Result<Response> CurlClient::request(std::string_view method, const std::string& path,
                                     const std::string& body) {
    if (exec_)
        if (Status s = applyExecCredential(false); !s) return s.error();
    const auto start = std::chrono::steady_clock::now();
    Response out;
    for (int retry = 0;; ++retry) {
        const bool reused = connectionLive_;
        CURLcode code = perform(method, path, body, headerLines(method), out);
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        Verdict v = judge(Attempted{method, path, body, h_, errbuf_, code, reused, retry, elapsed}, out);
        if (v.next == Verdict::Next::Refreshed) {
            --retry;
            continue;
        }
        if (v.next == Verdict::Next::Retry) {
            std::this_thread::sleep_for(std::chrono::duration<double>(v.delay));
            continue;
        }
        return std::move(*v.result);
    }
}

}  // namespace detail

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
    detail::lib = *api;
    auto client = std::make_unique<detail::CurlClient>(cluster, verbosity);
    if (Status s = client->init(); !s) return std::make_unique<Failed>(s.error());
    return client;
}

}  // namespace shift::kube
