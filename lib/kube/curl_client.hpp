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
};

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
    Result<Response> stream(const std::string& path, const std::function<void(std::string_view)>& onLine,
                            const std::function<bool()>& keepGoing) override;

   private:
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
    Error failure(CURLcode code, std::string_view method, const std::string& path) const;
    void traceAttempt(std::string_view method, const std::string& path, const std::string& body,
                      CURLcode code, const Response& out, double delay) const;

    Cluster c_;
    int verbosity_;
    CURL* h_;
    Endpoint to_;          // the server and proxy as messages name them
    Slist connectTo_;      // must outlive the handle's transfers
    std::string urlBase_;  // c_.server, or with the host replaced by tls-server-name (see init)
    std::string bearer_;
    std::optional<ExecAuthenticator> exec_;
    bool execRefreshed_ = false;
    bool answeredHttp_ = false;    // some request of this run got an HTTP response
    bool connectionLive_ = false;  // the last request ended with an answer: its connection may be reused
    char errbuf_[CURL_ERROR_SIZE] = {};
    std::vector<std::string> impersonation_;  // Impersonate-* header lines, the same on every request
};

}  // namespace shift::kube::detail
