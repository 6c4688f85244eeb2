#pragma once
// The libcurl client behind connect(), shared by its two source files: client_setup.cpp turns a
// Cluster into handle options, client.cpp sends requests with retries.
#include <curl/curl.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/client.hpp"
#include "kube/client_errors.hpp"
#include "kube/curl_loader.hpp"
#include "kube/exec.hpp"
#include "kube/impersonate.hpp"

namespace shift::kube::detail {

// libcurl's functions, loaded by connect() before any client exists.
extern const CurlApi* lib;

// Hands libcurl a copy of PEM data (a certificate, key or CA).
void setBlob(CURL* h, CURLoption opt, const std::string& data);

struct Slist {
    curl_slist* list = nullptr;
    Slist() = default;
    Slist(const Slist&) = delete;
    Slist& operator=(const Slist&) = delete;
    ~Slist() { lib->slist_free_all(list); }
    void add(const std::string& s) { list = lib->slist_append(list, s.c_str()); }
    void clear() {
        lib->slist_free_all(list);
        list = nullptr;
    }
};

// What came of one attempt of a request, for request() and requestMany() alike.
struct Attempted {
    std::string_view method;
    const std::string& path;
    const std::string& body;
    CURL* h;             // the handle it went out on
    const char* errbuf;  // that handle's error text
    CURLcode code;
    bool reused;     // it went out on a connection an earlier answer came over
    int retry;       // 0-based
    double elapsed;  // seconds since the request's first attempt began
};
// Again: try again after `delay` seconds (a retry), or at once with fresh exec credentials (not a
// retry); otherwise `result` is the request's answer or error.
struct Verdict {
    enum class Next { Done, Retry, Refreshed } next = Next::Done;
    double delay = 0;
    std::optional<Result<Response>> result;
};

class CurlClient final : public Client {
   public:
    CurlClient(const Cluster& c, int verbosity)
        : c_(c),
          verbosity_(verbosity),
          h_(lib->easy_init()),
          impersonation_(impersonationHeaders(c.impersonate)) {}
    ~CurlClient() override;
    CurlClient(const CurlClient&) = delete;
    CurlClient& operator=(const CurlClient&) = delete;

    Status init();
    Result<Response> request(std::string_view method, const std::string& path,
                             const std::string& body) override;
    Result<Response> stream(const std::string& path, const std::function<void(std::string_view)>& onLine,
                            const std::function<bool()>& keepGoing) override;
    Answers requestMany(const std::vector<Call>& calls, const StopAfter& stopAfter) override;

   private:
    struct Transfer;
    struct Batch;
    void setRequest(CURL* h, std::string_view method, const std::string& url, const std::string& body,
                    const Slist& headers, Response& out, void* writeData);
    void readAnswer(CURL* h, CURLcode code, Response& out) const;
    Verdict judge(const Attempted& a, Response& out);
    bool start(Transfer& t, CURLM* multi);
    Answers sendTogether(const std::vector<Call>& calls, const StopAfter& stopAfter);
    void setTransferOptions();
    std::string setServerUrl();
    void setProxy(const std::string& host);
    Status setTls();
    Status setClientCertificate();
    Status setAuth();
    Status applyExecCredential(bool refresh);

    std::vector<std::string> headerLines(std::string_view method) const;
    CURLcode perform(std::string_view method, const std::string& path, const std::string& body,
                     const std::vector<std::string>& headerLines, Response& out, void* writeData = nullptr);
    Error failure(CURLcode code, std::string_view method, const std::string& path) const {
        return failure(code, method, path, h_, errbuf_);
    }
    Error failure(CURLcode code, std::string_view method, const std::string& path, CURL* h,
                  const char* errbuf) const;
    void traceAttempt(std::string_view method, const std::string& path, const std::string& body,
                      CURLcode code, const Response& out, double delay) const;

    Cluster c_;
    int verbosity_;
    CURL* h_;
    CURLSH* share_ = nullptr;  // the connection cache h_ and requestMany's handles have in common
    Endpoint to_;              // the server and proxy as messages name them
    Slist connectTo_;          // must outlive the handle's transfers
    std::string urlBase_;      // c_.server, or with the host replaced by tls-server-name (see init)
    std::string bearer_;
    std::optional<ExecAuthenticator> exec_;
    bool execRefreshed_ = false;
    bool answeredHttp_ = false;    // some request of this run got an HTTP response
    bool connectionLive_ = false;  // the last request ended with an answer: its connection may be reused
    bool http2_ = false;           // the last answer came over HTTP/2: requests can share the connection
    char errbuf_[CURL_ERROR_SIZE] = {};
    std::vector<std::string> impersonation_;  // Impersonate-* header lines, the same on every request
};

}  // namespace shift::kube::detail
