#include "doc/parse.hpp"

namespace shift::doc {

Result<Stream> parse(std::string text, std::string_view name) {
    std::size_t i = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 byte order mark
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    if (i < text.size() && (text[i] == '{' || text[i] == '[')) return parseJson(std::move(text), name);
    return parseYaml(std::move(text), name);
}

Error syntaxError(std::string_view name, std::string_view kind, int line, int column, std::string_view what) {
    std::string msg(name);
    if (line > 0) msg += ':' + std::to_string(line) + ':' + std::to_string(column);
    msg += ": invalid ";
    msg += kind;
    msg += ": ";
    msg += what;
    msg += "; fix the file and retry";
    return fail(std::move(msg));
}

namespace {

// kubectl treats a document of kind List (or FooList) with items as several objects.
bool isList(const Node& doc) {
    const Node* kind = doc.get("kind");
    const Node* items = doc.get("items");
    if (!kind || !kind->isScalar() || !items || !items->isSeq()) return false;
    std::string_view k = kind->scalar;
    return k.size() >= 4 && k.substr(k.size() - 4) == "List";
}

}  // namespace

std::vector<const Node*> objects(const Stream& stream) {
    std::vector<const Node*> out;
    for (const Node& doc : stream.docs) {
        if (isList(doc)) {
            for (const Node& item : doc.get("items")->items) out.push_back(&item);
        } else {
            out.push_back(&doc);
        }
    }
    return out;
}

std::vector<Node*> objects(Stream& stream) {
    std::vector<Node*> out;
    for (const Node* n : objects(static_cast<const Stream&>(stream))) out.push_back(const_cast<Node*>(n));
    return out;
}

}  // namespace shift::doc
