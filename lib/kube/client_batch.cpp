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

// One sendTogether: the multi handle, each request's transfer and answer, and what -v reports.
struct CurlClient::Batch {
    CurlClient& c;
    CURLM* multi;
    const StopAfter& stopAfter;
    const bool together;  // HTTP/2: every request sent; HTTP/1.1: one at a time, stopAfter heard
    std::vector<std::unique_ptr<Transfer>> ts;
    Answers out;
    std::size_t next = 0;  // the next request not yet started
    std::size_t active = 0, waiting = 0, onWireAtFirstAnswer = 0;
    long opened = 0;
    bool stopped = false, answered = false;

    void launch(Transfer& t) {
        if (!t.began.time_since_epoch().count()) t.began = Clock::now();
        if (c.start(t, multi)) return void(++active);
        out[t.index] = Result<Response>(fail("cannot start a request: libcurl refused it", kExitApi));
    }

    // At the first answer: how many requests had gone on the wire (HTTP/2's proof of streams).
    void countOnWire() {
        answered = true;
        for (const auto& other : ts) {
            curl_off_t sent = 0;
            if (other->h) lib->easy_getinfo(other->h, CURLINFO_PRETRANSFER_TIME_T, &sent);
            if (sent > 0) ++onWireAtFirstAnswer;
        }
    }

    // A transfer ended: judged as request() judges an attempt, then answered, retried or refreshed.
    void done(CURL* easy, CURLcode code) {
        Transfer* t = nullptr;
        lib->easy_getinfo(easy, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
        lib->multi_remove_handle(multi, t->h);
        --active;
        if (!answered) countOnWire();
        long connects = 0;
        lib->easy_getinfo(t->h, CURLINFO_NUM_CONNECTS, &connects);
        opened += connects;
        c.readAnswer(t->h, code, t->out);
        if (code == CURLE_OK) {
            long version = 0;
            lib->easy_getinfo(t->h, CURLINFO_HTTP_VERSION, &version);
            c.http2_ = version == CURL_HTTP_VERSION_2_0;
        }
        const double elapsed = std::chrono::duration<double>(Clock::now() - t->began).count();
        const Call& call = *t->call;
        Verdict v = c.judge(
            Attempted{call.method, call.path, call.body, t->h, t->errbuf, code, t->reused, t->retry, elapsed},
            t->out);
        if (v.next == Verdict::Next::Refreshed) {
            lib->easy_cleanup(std::exchange(t->h, nullptr));  // the copy takes the new certificate
            return launch(*t);
        }
        if (v.next == Verdict::Next::Retry) {
            ++t->retry;
            t->waiting = true;
            t->notBefore = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(v.delay));
            ++waiting;
            return;
        }
        out[t->index] = std::move(*v.result);
        lib->easy_cleanup(std::exchange(t->h, nullptr));
        if (!together && stopAfter && stopAfter(t->index, *out[t->index])) stopped = true;
        if (!stopped && next < ts.size()) launch(*ts[next++]);
    }

    // Retries whose delay is over go out again; the milliseconds until the next one is due (at most 1 s).
    long relaunchDue() {
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
        return waitMs;
    }
};

Answers CurlClient::sendTogether(const std::vector<Call>& calls, const StopAfter& stopAfter) {
    CURLM* multi = lib->multi_init();
    if (!multi) return Client::requestMany(calls, stopAfter);
    lib->multi_setopt(multi, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
    // One connection: an HTTP/1.1 server gets the requests in turn on it, with no new TLS handshake.
    lib->multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
    Batch b{*this, multi, stopAfter, http2_, {}, Answers(calls.size())};
    for (std::size_t i = 0; i < calls.size(); ++i) {
        auto t = std::make_unique<Transfer>();
        t->call = &calls[i];
        t->index = i;
        t->url = urlBase_ + withServerTimeout(calls[i].path, c_.timeoutSeconds);
        b.ts.push_back(std::move(t));
    }
    // Over HTTP/2 at most kStreams at a time (libcurl's default limit of streams on a connection: the
    // others would only wait, each holding a handle and its buffers); over HTTP/1.1 one at a time.
    const std::size_t window = b.together ? kStreams : 1;
    for (; b.next < std::min(calls.size(), window); ++b.next) b.launch(*b.ts[b.next]);
    while (b.active > 0 || b.waiting > 0) {
        int running = 0, left = 0;
        lib->multi_perform(multi, &running);
        while (CURLMsg* msg = lib->multi_info_read(multi, &left))
            if (msg->msg == CURLMSG_DONE) b.done(msg->easy_handle, msg->data.result);
        long waitMs = b.relaunchDue();
        if (b.active > 0 || b.waiting > 0) lib->multi_poll(multi, nullptr, 0, int(waitMs), nullptr);
    }
    lib->multi_cleanup(multi);
    if (verbosity_ > 0 && b.together) {
        fmt::print(stderr,
                   "{} requests together over HTTP/2: {} on the wire before the first answer, {} new "
                   "connection{}\n",
                   calls.size(), b.onWireAtFirstAnswer, b.opened, b.opened == 1 ? "" : "s");
    }
    return std::move(b.out);
}

}  // namespace detail

}  // namespace shift::kube
