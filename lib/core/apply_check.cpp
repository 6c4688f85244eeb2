// The editors' safety net: an edited route is used only when it reads back as
// exactly the route applyToTree plans; anything else falls back to re-rendering.
#include "core/apply_check.hpp"

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

bool readsBackAs(const std::string& text, doc::Format format, const doc::Node& planned) {
    auto stream =
        format == doc::Format::Json ? doc::parseJson(text, "edited") : doc::parseYaml(text, "edited");
    return stream && stream->docs.size() == 1 && sameValue(stream->docs[0], planned);
}

}  // namespace shift::core
