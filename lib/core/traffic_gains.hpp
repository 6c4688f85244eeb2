#pragma once
// Which destinations a plan starts or stops sending traffic to: make-before-break checks the first
// (their pods must be Ready before traffic moves), and the second may be retired afterwards.
#include <string>
#include <vector>

#include "core/plan.hpp"

namespace shift::core {

// A destination whose share goes from 0 (or absent) to more than 0.
struct TrafficGain {
    std::string key;     // as the summary names it ("v3", "reviews-v3")
    std::string host;    // a VirtualService's: the FQDN; an HTTPRoute backendRef's: the Service name
    std::string subset;  // "" for none
    std::string ns;      // the namespace of the Service (a backendRef's, or the FQDN's)
    bool backendRef = false;
};

// Each destination (host and subset) once, in the plan's order. A backendRef of a kind other than
// Service is left out: shift cannot tell what serves it.
std::vector<TrafficGain> trafficGains(const ShiftPlan& plan);

// One note per subset (or backendRef) whose traffic the plan takes to 0 while no rule of the object
// still sends it any: "subset v1 of reviews.ns.svc.cluster.local gets no traffic from ... now; it
// can be retired once its connections drain".
std::vector<std::string> retireNotes(const ShiftPlan& plan);

}  // namespace shift::core
