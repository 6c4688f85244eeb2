// Streaming GETs (watches): the body handed out line by line as it arrives, on the run's one handle.
#include <curl/curl.h>

#include "kube/client.hpp"
#include "kube/client_errors.hpp"
#include "kube/curl_client.hpp"

namespace shift::kube {

namespace {

// Hands out each complete non-empty line of `pending`, keeping the unfinished rest.
void handLines(std::string& pending, const std::function<void(std::string_view)>& onLine) {
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
        std::string_view line(pending.data() + start, nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty()) onLine(line);
    }
    pending.erase(0, start);
}

}  // namespace

Result<Response> Client::stream(const std::string& path, const std::function<void(std::string_view)>& onLine,
                                const std::function<bool()>&) {
    auto r = request("GET", path);
    if (!r || !r->ok()) return r;
    std::string body = std::move(r->body) + "\n";
    r->body.clear();
    handLines(body, onLine);
    return r;
}

namespace detail {

namespace {

struct StreamState {
    CURL* h = nullptr;
    const std::function<void(std::string_view)>* onLine = nullptr;
    const std::function<bool()>* keepGoing = nullptr;
    std::string pending;       // the start of a line still arriving
    std::string* errorBody{};  // a non-2xx answer, kept whole for its Status
};

size_t onStreamBody(char* data, size_t size, size_t n, void* user) {
    auto* s = static_cast<StreamState*>(user);
    long status = 0;
    lib->easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300) {
        s->errorBody->append(data, size * n);
        return size * n;
    }
    s->pending.append(data, size * n);
    handLines(s->pending, *s->onLine);
    // Stop between events rather than waiting for the next progress call.
    return (*s->keepGoing)() ? size * n : 0;
}

// libcurl calls it about once a second while the stream is idle: the chance to stop on a signal.
int onStreamProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return (*static_cast<const std::function<bool()>*>(user))() ? 0 : 1;
}

}  // namespace

Result<Response> CurlClient::stream(const std::string& path,
                                    const std::function<void(std::string_view)>& onLine,
                                    const std::function<bool()>& keepGoing) {
    if (exec_)
        if (Status s = applyExecCredential(false); !s) return s.error();
    Response out;
    StreamState state{h_, &onLine, &keepGoing, {}, &out.body};
    lib->easy_setopt(h_, CURLOPT_WRITEFUNCTION, onStreamBody);
    lib->easy_setopt(h_, CURLOPT_TIMEOUT_MS, 0L);  // the server ends it (timeoutSeconds=)
    lib->easy_setopt(h_, CURLOPT_NOPROGRESS, 0L);
    lib->easy_setopt(h_, CURLOPT_XFERINFOFUNCTION, onStreamProgress);
    lib->easy_setopt(h_, CURLOPT_XFERINFODATA, &keepGoing);
    CURLcode code = perform("GET", path, "", headerLines("GET"), out, &state);
    lib->easy_setopt(h_, CURLOPT_NOPROGRESS, 1L);
    setTransferOptions();  // the write function and timeouts of ordinary requests again
    const bool stopped = code == CURLE_ABORTED_BY_CALLBACK || (code == CURLE_WRITE_ERROR && !keepGoing());
    if (stopped) {
        lib->easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &out.status);
        code = CURLE_OK;
    } else if (code == CURLE_OK) {
        state.pending += '\n';  // a last line without its newline
        if (out.ok()) handLines(state.pending, onLine);
    }
    if (code == CURLE_OK) answeredHttp_ = true;
    connectionLive_ = code == CURLE_OK;
    traceAttempt("GET", path, "", code, out, -1);
    if (code != CURLE_OK) return failure(code, "GET", path);
    if (!out.ok() && !stopped)
        if (auto foreign = foreignAnswer(to_, out, "GET", path)) return *foreign;
    return out;
}

}  // namespace detail

}  // namespace shift::kube
