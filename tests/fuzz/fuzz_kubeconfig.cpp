// Kubeconfig files: any text gives a kubeconfig or a one-line error, and resolving any context of
// what was read gives a cluster or a one-line error.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "kube/cluster.hpp"
#include "kube/kubeconfig.hpp"

namespace {
void check(bool ok) {
    if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace shift::kube;
    auto config = parseKubeconfig(std::string(reinterpret_cast<const char*>(data), size), "fuzz-kubeconfig");
    if (!config) {
        check(!config.error().message.empty() && config.error().message.find('\n') == std::string::npos);
        return 0;
    }
    auto merged = mergeKubeconfigs({*config});
    auto cluster = resolve(merged, ConfigFlags{});
    if (!cluster) check(!cluster.error().message.empty());
    return 0;
}
