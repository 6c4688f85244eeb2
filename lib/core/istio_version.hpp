#pragma once
// Which weight sums the cluster's Istio accepts, told from its istiod Deployments' images: Istio 1.15
// (istio/istio#39544) let weights sum to any positive total; 1.14 and older require 100. The CRD's
// `weight` description cannot tell 1.13-1.14 from 1.15+, the running control plane can.
#include <optional>
#include <string>

#include "base/result.hpp"
#include "core/split_resolve.hpp"

namespace shift::core {

struct IstioVersion {
    int major = 0, minor = 0;
};

// The version in an image reference's tag: docker.io/istio/pilot:1.20.3 -> 1.20;
// gcr.io/istio-release/pilot:1.22.0-distroless -> 1.22. nullopt: no tag, a digest only, or a tag
// that does not start with MAJOR.MINOR (latest, a commit).
std::optional<IstioVersion> versionOfImage(const std::string& image);

struct WeightSumFinding {
    WeightSum sum = WeightSum::Unknown;
    std::string why;  // for messages: "istiod in istio-system runs 1.14.3", "no istiod Deployment in ..."
};

// From the JSON list of istiod Deployments (label app=istiod) in ns: Sum100 when any runs 1.14 or
// older (it still validates), AnyTotal when all run 1.15 or newer, else Unknown with the reason.
WeightSumFinding weightSumOfDeployments(const std::string& listJson, const std::string& ns);

// --weights any-total|sum-100 as given.
Result<WeightSum> parseWeightSum(const std::string& text);

}  // namespace shift::core
