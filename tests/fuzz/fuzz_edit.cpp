// The in-place editors: for any manifest and a request that plans, the edited text (YAML or JSON)
// parses to exactly the object applyToTree plans, with every other document unchanged, or the
// editor declines. Never a crash, never a file that reads differently from the plan.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/apply.hpp"
#include "core/locate.hpp"
#include "core/plan.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

const std::vector<std::vector<std::string>> kRequests = {
    {"v1=50", "v3=50"}, {"v3=100"}, {"v1=90", "v3=10"}, {"reviews-v2=100"}, {"v1=0", "v2=100"}, {"v2=10"},
};

std::string json(const shift::doc::Node& n) { return shift::doc::toJson(n, 0); }

void compare(const shift::doc::Stream& before, const std::string& edited, const shift::core::Location& at,
             const shift::doc::Node& planned) {
    auto after = shift::doc::parse(edited, "edited");
    check(after.ok());
    check(after->docs.size() == before.docs.size());
    for (std::size_t i = 0; i < before.docs.size(); ++i) {
        if (i == at.doc) continue;
        check(json(after->docs[i]) == json(before.docs[i]));
    }
    check(json(shift::core::objectAt(after->docs, at)) == json(planned));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace shift;
    if (size < 1) return 0;
    auto stream = doc::parse(std::string(reinterpret_cast<const char*>(data) + 1, size - 1), "fuzz.yaml");
    if (!stream) return 0;
    auto found = core::findKind(stream->docs, "VirtualService");
    if (found.empty()) return 0;
    const auto& at = found.front();
    const auto& object = core::objectAt(stream->docs, at);
    auto request = core::parseRequest(kRequests[data[0] % kRequests.size()]);
    auto plan = core::planShift(object, *request, core::ShiftOptions{}, nullptr);
    if (!plan || !plan->changed) return 0;
    auto planned = core::applyToTree(object, plan->vs, plan->rules);
    auto edited = stream->format == doc::Format::Yaml
                      ? core::applyToYamlText(stream->source, object, plan->vs, plan->rules)
                      : core::applyToJsonText(stream->source, object, at, plan->vs, plan->rules);
    if (edited) compare(*stream, *edited, at, planned);
    return 0;
}
