#pragma once
// Which traffic a VirtualService change reaches: one bound only to gateways (spec.gateways without
// "mesh") routes the traffic entering through them, not the mesh's own calls to its hosts, so a change
// that seems to move "the" traffic may leave most of it where it was.
#include <string>
#include <vector>

#include "doc/node.hpp"

namespace shift::core {

// A note when the object is a VirtualService whose gateways are all real gateways ("mesh" absent);
// none when it has no gateways field (Istio's default: mesh only) or lists mesh.
std::vector<std::string> coverageNotes(const doc::Node& object);

}  // namespace shift::core
