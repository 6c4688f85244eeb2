#include "doc/node.hpp"

#include <algorithm>

namespace shift::doc {
namespace {

std::ptrdiff_t indexOf(const std::vector<std::string>& keys, std::string_view key) {
    auto it = std::find(keys.begin(), keys.end(), key);
    return it == keys.end() ? -1 : it - keys.begin();
}

}  // namespace

const Node* Node::get(std::string_view key) const {
    if (!isMap()) return nullptr;
    std::ptrdiff_t i = indexOf(keys, key);
    return i < 0 ? nullptr : &items[static_cast<std::size_t>(i)];
}

Node* Node::get(std::string_view key) { return const_cast<Node*>(static_cast<const Node*>(this)->get(key)); }

Node& Node::set(std::string_view key, Node value) {
    if (!isMap()) *this = map();
    std::ptrdiff_t i = indexOf(keys, key);
    if (i >= 0) {
        Node& slot = items[static_cast<std::size_t>(i)];
        // The slot keeps its source mark, which the in-place editor relies on.
        if (!value.mark.known()) value.mark = slot.mark;
        slot = std::move(value);
        return slot;
    }
    keys.emplace_back(key);
    keyMarks.resize(keys.size());  // parallel to keys; a new key has no source mark
    items.push_back(std::move(value));
    return items.back();
}

bool Node::erase(std::string_view key) {
    if (!isMap()) return false;
    std::ptrdiff_t i = indexOf(keys, key);
    if (i < 0) return false;
    keys.erase(keys.begin() + i);
    items.erase(items.begin() + i);
    if (static_cast<std::size_t>(i) < keyMarks.size()) keyMarks.erase(keyMarks.begin() + i);
    return true;
}

const Node* Node::at(std::initializer_list<std::string_view> path) const {
    const Node* n = this;
    for (std::string_view key : path) {
        n = n->get(key);
        if (!n) return nullptr;
    }
    return n;
}

const std::string& Node::str() const {
    static const std::string kEmpty;
    return isScalar() ? scalar : kEmpty;
}

bool Node::isInteger() const {
    if (!isScalar() || quoted) return false;
    if (resolvePlain(scalar) == ScalarType::Int) return true;
    // A decimal integer past 64 bits: go-yaml calls it a float, JSON an integer.
    std::string_view s = scalar;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace shift::doc
