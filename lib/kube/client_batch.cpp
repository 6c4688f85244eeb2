// Several requests together (requestMany): over HTTP/2 as streams of the run's one connection, sent at
// once with libcurl's multi interface; over HTTP/1.1 one after another on that same connection. Each
// request keeps request()'s rules: retries and their delays, errors, -v tracing (CurlClient::judge).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "kube/client.hpp"
#include "kube/curl_client.hpp"

namespace shift::kube {

Answers Client::requestMany(const std::vector<Call>& calls, const StopAfter& stopAfter) {
    Answers out(calls.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        out[i] = request(calls[i].method, calls[i].path, calls[i].body);
        if (stopAfter && stopAfter(i, *out[i])) break;
    }
    return out;
}

namespace detail {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kStreams = 100;

// One request of a batch: its own handle (a copy of the run's, sharing its connection cache), buffers
// and retry state.
struct CurlClient::Transfer {
    const Call* call = nullptr;
    std::size_t index = 0;
    CURL* h = nullptr;
    Response out;
    Slist headers;
    std::string url;
    char errbuf[CURL_ERROR_SIZE] = {};
    int retry = 0;
    bool reused = false;
    bool waiting = false;  // between attempts, until notBefore
    Clock::time_point began;
    Clock::time_point notBefore;

    Transfer() = default;
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;
    ~Transfer() {
        if (h) lib->easy_cleanup(h);
    }
};

// Starts (or starts again) one attempt of t on the multi handle.
bool CurlClient::start(Transfer& t, CURLM* multi) {
    // A fresh copy of the run's handle: it carries the exec plugin's latest client certificate.
    if (!t.h && !(t.h = lib->easy_duphandle(h_))) return false;
    t.out = Response{};
    t.errbuf[0] = '\0';
    t.waiting = false;
    lib->easy_setopt(t.h, CURLOPT_ERRORBUFFER, t.errbuf);
    lib->easy_setopt(t.h, CURLOPT_PRIVATE, &t);
    lib->easy_setopt(t.h, CURLOPT_SHARE, share_);
    // Wait for the connection in use rather than open another beside it.
    lib->easy_setopt(t.h, CURLOPT_PIPEWAIT, 1L);
    t.headers.clear();
    for (const std::string& line : headerLines(t.call->method))
        if (line.rfind("Authorization: Basic ", 0) != 0) t.headers.add(line);
    setRequest(t.h, t.call->method, t.url, t.call->body, t.headers, t.out, nullptr);
    t.reused = connectionLive_;
    return lib->multi_add_handle(multi, t.h) == CURLM_OK;
}

Answers CurlClient::requestMany(const std::vector<Call>& calls, const StopAfter& stopAfter) {
    // Before any answer, whether the server speaks HTTP/2 is not known: one after another, as before.
    if (calls.size() < 2 || !answeredHttp_) return Client::requestMany(calls, stopAfter);
    if (exec_)
        if (Status s = applyExecCredential(false); !s)
            return Answers(calls.size(), Result<Response>(s.error()));
    return sendTogether(calls, stopAfter);
}

Answers CurlClient::sendTogether(const std::vector<Call>& calls, const StopAfter& stopAfter) {
    CURLM* multi = lib->multi_init();
    if (!multi) return Client::requestMany(calls, stopAfter);
    lib->multi_setopt(multi, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
    // One connection: an HTTP/1.1 server gets the requests in turn on it, with no new TLS handshake.
    lib->multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
    const bool together = http2_;
    const std::size_t n = calls.size();
    std::vector<std::unique_ptr<Transfer>> ts;
    for (std::size_t i = 0; i < n; ++i) {
        auto t = std::make_unique<Transfer>();
        t->call = &calls[i];
        t->index = i;
        t->url = urlBase_ + withServerTimeout(calls[i].path, c_.timeoutSeconds);
        ts.push_back(std::move(t));
    }
    Answers out(n);
    std::size_t next = 0;  // the next request not yet started
    std::size_t active = 0, waiting = 0, onWireAtFirstAnswer = 0;
    long opened = 0;
    bool stopped = false, answered = false;
    auto launch = [&](Transfer& t) {
        if (!t.began.time_since_epoch().count()) t.began = Clock::now();
        if (start(t, multi)) return void(++active);
        out[t.index] = Result<Response>(fail("cannot start a request: libcurl refused it", kExitApi));
    };
    // Over HTTP/2 at most kStreams at a time (libcurl's default limit of streams on a connection: the
    // others would only wait, each holding a handle and its buffers); over HTTP/1.1 one at a time.
    const std::size_t window = together ? kStreams : 1;
    for (; next < std::min(n, window); ++next) launch(*ts[next]);

    while (active > 0 || waiting > 0) {
        int running = 0;
        lib->multi_perform(multi, &running);
        int left = 0;
        while (CURLMsg* msg = lib->multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            Transfer* t = nullptr;
            lib->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
            const CURLcode code = msg->data.result;
            lib->multi_remove_handle(multi, t->h);
            --active;
            if (!answered) {
                answered = true;
                for (const auto& other : ts) {
                    curl_off_t sent = 0;
                    if (other->h) lib->easy_getinfo(other->h, CURLINFO_PRETRANSFER_TIME_T, &sent);
                    if (sent > 0) ++onWireAtFirstAnswer;
                }
            }
            long connects = 0;
            lib->easy_getinfo(t->h, CURLINFO_NUM_CONNECTS, &connects);
            opened += connects;
            readAnswer(t->h, code, t->out);
            if (code == CURLE_OK) {
                long version = 0;
                lib->easy_getinfo(t->h, CURLINFO_HTTP_VERSION, &version);
                http2_ = version == CURL_HTTP_VERSION_2_0;
            }
            const double elapsed = std::chrono::duration<double>(Clock::now() - t->began).count();
            const Call& c = *t->call;
            Verdict v = judge(
                Attempted{c.method, c.path, c.body, t->h, t->errbuf, code, t->reused, t->retry, elapsed},
                t->out);
            if (v.next == Verdict::Next::Refreshed) {
                lib->easy_cleanup(std::exchange(t->h, nullptr));  // the copy takes the new certificate
                launch(*t);
            } else if (v.next == Verdict::Next::Retry) {
                ++t->retry;
                t->waiting = true;
                t->notBefore = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(v.delay));
                ++waiting;
            } else {
                out[t->index] = std::move(*v.result);
                lib->easy_cleanup(std::exchange(t->h, nullptr));
                if (!together && stopAfter && stopAfter(t->index, *out[t->index])) stopped = true;
                if (!stopped && next < n) launch(*ts[next++]);
            }
        }
        // Retries whose delay is over go out again; the poll sleeps until the next one is due.
        auto now = Clock::now();
        long waitMs = 1000;
        for (auto& t : ts) {
            if (!t->waiting) continue;
            if (t->notBefore <= now) {
                --waiting;
                launch(*t);
            } else {
                auto ms = std::chrono::ceil<std::chrono::milliseconds>(t->notBefore - now).count();
                waitMs = std::min<long>(waitMs, ms);
            }
        }
        if (active > 0 || waiting > 0) lib->multi_poll(multi, nullptr, 0, int(waitMs), nullptr);
    }
    lib->multi_cleanup(multi);
    if (verbosity_ > 0 && together) {
        fmt::print(stderr,
                   "{} requests together over HTTP/2: {} on the wire before the first answer, {} new "
                   "connection{}\n",
                   n, onWireAtFirstAnswer, opened, opened == 1 ? "" : "s");
    }
    return out;
}

}  // namespace detail

}  // namespace shift::kube
