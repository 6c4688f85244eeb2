#pragma once
// Finding objects in a stream of manifests (multi-document YAML, `kind: List`).
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/object_ref.hpp"
#include "doc/node.hpp"

namespace shift::core {

struct Location {
    std::size_t doc = 0;              // which document of the stream
    std::optional<std::size_t> item;  // index in the document's `items` when it is a List
};

const doc::Node& objectAt(const std::vector<doc::Node>& docs, const Location& at);
doc::Node& objectAt(std::vector<doc::Node>& docs, const Location& at);

// Every object of the given kind in the stream, in order.
std::vector<Location> findKind(const std::vector<doc::Node>& docs, const std::string& kind);

// The VirtualService named `name` (in namespace `ns` when not empty). `source`
// names the input in messages ("reviews.yaml").
Result<Location> findVirtualService(const std::vector<doc::Node>& docs, const std::string& name,
                                    const std::string& ns, const std::string& source);
// The same for either kind: the VirtualService or the HTTPRoute named `name`.
Result<Location> findRoute(const std::vector<doc::Node>& docs, RouteKind kind, const std::string& name,
                           const std::string& ns, const std::string& source);

}  // namespace shift::core
