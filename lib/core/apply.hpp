#pragma once
// Writes a plan into a VirtualService: into its document tree (for JSON and the
// API server), or into its YAML or JSON source text, changing only the bytes that must.
#include <optional>
#include <string>
#include <vector>

#include "core/locate.hpp"
#include "core/split.hpp"
#include "doc/node.hpp"

namespace shift::core {

// The object with every plan applied. Untargeted rules and fields are untouched.
doc::Node applyToTree(const doc::Node& object, const VirtualService& vs, const std::vector<RulePlan>& plans);

// One route (a rule's `route` list) with its plan applied.
doc::Node applyToRoute(const doc::Node& route, const RulePlan& plan);

// The route item an Add plan writes: the destination's host and subset as planned, the port of the
// destination it copies, and the weight. Nothing else of the copied item (its `headers` belong to
// its version).
doc::Node addedDestination(const doc::Node& copied, const DestinationPlan& d);

// The YAML source with the plans applied as edits; `object` must come from `source`
// (its marks point into it). A block route is edited line by line, a flow route
// (`route: [{...}, ...]`) value by value in flow style; every other byte stays.
// nullopt when the route is laid out in a way edits cannot follow (anchors, aliases,
// merge keys), or when the edited text would not read back as applyToTree's object.
std::optional<std::string> applyToYamlText(const std::string& source, const doc::Node& object,
                                           const VirtualService& vs, const std::vector<RulePlan>& plans);

// The YAML source with only the document holding the object at `at` re-rendered with
// `merged` in its place: the other documents, and the comments before and after that
// document's content, stay byte for byte. The whole stream re-rendered when the
// document's extent is not known.
std::string rerenderYamlDocument(const std::string& source, const std::vector<doc::Node>& docs,
                                 const Location& at, const doc::Node& merged);

// The JSON source with the plans applied: changed weights replace only the number,
// removed route items go with their separator, added ones follow the last item in
// its layout. nullopt when the source cannot be edited safely.
// `object` is the one at `at` in the JSON `source`.
std::optional<std::string> applyToJsonText(const std::string& source, const doc::Node& object,
                                           const Location& at, const VirtualService& vs,
                                           const std::vector<RulePlan>& plans);

}  // namespace shift::core
