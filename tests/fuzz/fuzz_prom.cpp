// Prometheus's answers and the --analysis gates: a decoder or parser returns a value or a one-line
// error; it never crashes, and a gate it accepts builds a query that names its threshold's metric.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "prom/answer.hpp"
#include "prom/queries.hpp"

namespace {
void check(bool ok) {
    if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    using namespace shift::prom;
    if (auto a = decodeAnswer(200, text, "q")) {
        auto v = singleValue(*a, "q");
        if (!v) check(v.error().message.find('\n') == std::string::npos);
    } else {
        check(a.error().exit == shift::kExitApi);
    }
    (void)decodeScrapeInterval(text);
    if (auto g = parseGate(text)) {
        std::string q = gateQuery(*g, {"ns", "v3", "reviews"}, std::chrono::seconds(3));
        if (g->kind != Gate::Kind::Custom) check(q.find("istio_") != std::string::npos);
    } else {
        check(g.error().message.find('\n') == std::string::npos);
        check(g.error().exit == shift::kExitInput);
    }
    return 0;
}
