#include "weight_sum.hpp"

#include <fmt/format.h>

#include "core/istio_version.hpp"

namespace shift::cli {

void learnWeightSum(kube::Api& api, const std::string& ns, const core::Request& request,
                    core::SplitOptions& split) {
    if (split.sum != core::WeightSum::Unknown || !core::isFractional(request)) return;
    auto answer = api.listIstiodDeployments(ns);
    if (!answer) {
        split.sumWhy =
            fmt::format("the istiod Deployments in {} could not be read: {}", ns, answer.error().message);
        return;
    }
    if (answer->status == 403) {
        split.sumWhy = fmt::format("you may not list Deployments in {}", ns);
        return;
    }
    if (!answer->ok()) {
        split.sumWhy = fmt::format("listing the Deployments in {} answered HTTP {}", ns, answer->status);
        return;
    }
    auto found = core::weightSumOfDeployments(answer->body, ns);
    split.sum = found.sum;
    split.sumWhy = found.why;
}

}  // namespace shift::cli
