// The editors' safety net: an edited text is used only when it reads back as
// exactly the object applyToTree plans; anything else falls back to re-rendering.
#include "core/apply_check.hpp"

#include "core/locate.hpp"
#include "doc/parse.hpp"

namespace shift::core {

namespace {

// Same value, wherever it sits and however it is quoted: "reviews" and reviews are one string.
doc::ScalarType typeOf(const doc::Node& n) {
    return n.quoted ? doc::ScalarType::String : doc::resolvePlain(n.scalar);
}

bool sameValue(const doc::Node& a, const doc::Node& b) {
    if (a.kind != b.kind || a.keys != b.keys || a.items.size() != b.items.size()) return false;
    if (a.isScalar() && (a.scalar != b.scalar || typeOf(a) != typeOf(b))) return false;
    for (std::size_t i = 0; i < a.items.size(); ++i) {
        if (!sameValue(a.items[i], b.items[i])) return false;
    }
    return true;
}

}  // namespace

bool readsBackAs(const std::string& text, const VirtualService& vs, const doc::Node& planned) {
    auto stream = doc::parse(text, "edited");
    if (!stream) return false;
    auto at = findVirtualService(stream->docs, vs.name, vs.ns, "edited");
    return at && sameValue(objectAt(stream->docs, *at), planned);
}

}  // namespace shift::core
