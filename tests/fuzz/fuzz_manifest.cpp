// Reading YAML and JSON manifests: never a crash, an unbounded allocation or a stack overflow, and
// what is read renders to a text that reads back to the same tree (render -> read is lossless).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "doc/emit.hpp"
#include "doc/parse.hpp"

namespace {
void check(bool ok) {
    if (!ok) std::abort();
}
std::string json(const shift::doc::Stream& s) {
    std::string out;
    for (const auto& d : s.docs) out += shift::doc::toJson(d, 0) + "\n";
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace shift::doc;
    auto first = parse(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
    if (!first) {
        check(!first.error().message.empty());
        return 0;
    }
    // YAML rendering, read back, is the same tree (compared through its JSON form).
    auto yaml = toYamlStream(first->docs);
    auto second = parseYaml(yaml, "rendered.yaml");
    check(second.ok());
    check(json(*second) == json(*first));
    check(toYamlStream(second->docs) == yaml);
    return 0;
}
