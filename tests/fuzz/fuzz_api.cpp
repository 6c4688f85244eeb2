// What the API server (or anything answering in its place) sends back: Status bodies, objects and
// lists. Any body with any status gives a one-line error or a tree; nothing crashes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/split_report.hpp"
#include "doc/parse.hpp"
#include "kube/api_error.hpp"

namespace {
void check(bool ok) {
    if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace shift;
    if (size < 1) return 0;
    std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    kube::Response r;
    r.status = 200 + data[0] * 2;  // 200..710: every class of status
    r.body = body;
    r.contentType = data[0] & 1 ? "application/json" : "text/plain";
    (void)kube::parseStatus(r);
    if (!r.ok()) {
        auto e = kube::responseError(
            r, kube::RequestInfo{"get", "virtualservices", "networking.istio.io", "ns", "reviews", "ctx"});
        check(!e.message.empty());
    }
    auto stream = doc::parseJson(body, "the server's answer");
    if (!stream) return 0;
    for (const auto* object : doc::objects(*stream)) (void)core::reportOf(*object, {});
    return 0;
}
