#pragma once
// The HTTP client: an interface the CLI's tests can fake, and the libcurl implementation.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "kube/cluster.hpp"

namespace shift::kube {

struct Response {
    long status = 0;
    std::string body;
    std::string contentType;
    double seconds = 0;
    std::map<std::string, std::string> headers;  // lower-case names; at least retry-after when sent

    bool ok() const { return status >= 200 && status < 300; }
};

// One request of a batch (Client::requestMany).
struct Call {
    std::string method;
    std::string path;
    std::string body;
};
// One answer per call, in the calls' order; nullopt for a call that was never sent.
using Answers = std::vector<std::optional<Result<Response>>>;
// Asked after each answer (call index, answer) of a batch sent one request after another: true leaves
// the rest unsent.
using StopAfter = std::function<bool(std::size_t, const Result<Response>&)>;

class Client {
   public:
    virtual ~Client() = default;
    // path is "/apis/...?query", relative to the cluster's server. A Response with any HTTP status
    // is a value; an Error (kExitApi) means no usable answer came back, retries included.
    virtual Result<Response> request(std::string_view method, const std::string& path,
                                     const std::string& body = "") = 0;

    // A GET whose body is newline-terminated lines arriving over time (a watch): each non-empty line
    // goes to onLine as it arrives. No overall timeout and no retries: the URL's timeoutSeconds= has
    // the server end it. keepGoing is asked about once a second and as data arrives; false ends the
    // stream early (the Response then has the status received). A non-2xx answer is returned whole
    // in body, with no line handed out. An Error means the connection failed or broke.
    // This default reads the whole answer with request() and hands out its lines (fakes, tests).
    virtual Result<Response> stream(const std::string& path,
                                    const std::function<void(std::string_view)>& onLine,
                                    const std::function<bool()>& keepGoing);

    // Several requests to send together, each with request()'s rules (retries, errors, tracing).
    // Over HTTP/2 they go out at once as streams of the one connection and every one is answered;
    // otherwise one after another on that connection, as request() would send them, stopping when
    // stopAfter says so. This default sends them one after another (fakes, tests).
    virtual Answers requestMany(const std::vector<Call>& calls, const StopAfter& stopAfter);
};

// One libcurl easy handle for the run: one TLS connection, HTTP/2 when offered, which requestMany's
// batches share (a libcurl share handle's connection cache). verbosity >= 1
// prints one line per request to stderr (method, URL, status, time); never credentials.
std::unique_ptr<Client> connect(const Cluster& cluster, int verbosity = 0);

// Retry policy, pure so it can be tested. An attempt failed either in transport or with a status.
enum class Transport {
    kOk,           // an HTTP response came back
    kNotSent,      // failed before the request could reach the server (resolve, connect)
    kInterrupted,  // failed after it may have reached the server (timeout, reset, broken stream)
    kFatal,        // retrying cannot help (TLS verification, bad certificate, bad URL)
};
struct Attempt {
    Transport transport = Transport::kOk;
    long status = 0;
    std::optional<double> retryAfterSeconds;
};
inline constexpr int kMaxRetries = 3;
inline constexpr double kBackoffBaseSeconds = 0.1;
inline constexpr double kMaxRetryAfterSeconds = 10;

// Seconds to wait before retry number `retry` (0-based), or nullopt to stop. GET retries connection
// failures, 429 and 500/502/503/504; PUT/POST only what surely never reached the server and 429.
std::optional<double> retryDelay(std::string_view method, int retry, const Attempt& attempt);

// path with kubectl's `timeout=` query parameter (a Go duration: "30s", "1500ms"), so the server
// abandons a request the client has given up on instead of carrying it out later; unchanged for 0
// (no timeout).
std::string withServerTimeout(const std::string& path, double seconds);

// Parses Retry-After's delta-seconds form (the HTTP-date form is not used by kube-apiserver).
std::optional<double> parseRetryAfter(const std::string& value);

}  // namespace shift::kube
