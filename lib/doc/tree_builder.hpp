#pragma once
// Builds doc::Node trees from a YAML parser's events: keeps marks, resolves
// aliases, rejects duplicate keys (or lets the last one win, as client-go does
// for kubeconfigs).
#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "doc/node.hpp"

namespace shift::doc::detail {

struct BuildError {
    Mark mark;
    std::string what;
};

class TreeBuilder {
public:
    explicit TreeBuilder(bool lastKeyWins = false) : lastKeyWins_(lastKeyWins) {}

    std::vector<Node> docs;

    void startDocument() {
        stack_.clear();
        root_ = Node{};
        haveRoot_ = false;
    }
    void endDocument() {
        // An empty document (or a lone null) holds no object; kubectl skips it too.
        if (haveRoot_ && !root_.isNull()) docs.push_back(std::move(root_));
    }
    void value(Node n, const std::string& anchor) { add(std::move(n), anchor); }
    void alias(const std::string& anchor, Mark mark) {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end()) throw BuildError{mark, "unknown anchor \"" + anchor + "\" referenced"};
        Node n = it->second;
        n.mark = mark;
        add(std::move(n), {});
    }
    void start(Node n, std::string anchor) { stack_.push_back(Frame{std::move(n), std::move(anchor), false, {}}); }
    void end() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        add(std::move(f.node), f.anchor);
    }

private:
    struct Frame {
        Node node;
        std::string anchor;
        bool haveKey = false;  // Map: keys.back() waits for its value
        std::unique_ptr<std::unordered_set<std::string>> seen;  // Map: keys, once the map is large
    };

    void add(Node n, const std::string& anchor) {
        if (!anchor.empty()) anchors_[anchor] = n;
        if (stack_.empty()) {
            root_ = std::move(n);
            haveRoot_ = true;
            return;
        }
        Frame& f = stack_.back();
        if (f.node.isSeq() || f.haveKey) {
            f.node.items.push_back(std::move(n));
            f.haveKey = false;
        } else {
            addKey(f, std::move(n));
        }
    }

    void addKey(Frame& f, Node key) {
        if (key.isMap() || key.isSeq()) throw BuildError{key.mark, "a map key must be a string"};
        // A null key reads as "null", as it does when Kubernetes turns YAML into JSON.
        std::string text = key.isNull() ? std::string("null") : std::move(key.scalar);
        if (duplicate(f, text)) {
            if (!lastKeyWins_) throw BuildError{key.mark, "duplicate key \"" + text + "\""};
            auto at = std::find(f.node.keys.begin(), f.node.keys.end(), text) - f.node.keys.begin();
            f.node.keys.erase(f.node.keys.begin() + at);
            f.node.items.erase(f.node.items.begin() + at);
            f.node.keyMarks.erase(f.node.keyMarks.begin() + at);
        }
        f.node.keys.push_back(std::move(text));
        f.node.keyMarks.push_back(key.mark);
        f.haveKey = true;
    }

    // Linear search for the usual small map; a hash set once a map grows.
    static bool duplicate(Frame& f, const std::string& key) {
        constexpr std::size_t kSmall = 16;
        const auto& keys = f.node.keys;
        if (!f.seen && keys.size() < kSmall) {
            for (const std::string& k : keys) {
                if (k == key) return true;
            }
            return false;
        }
        if (!f.seen) f.seen = std::make_unique<std::unordered_set<std::string>>(keys.begin(), keys.end());
        return !f.seen->insert(key).second;
    }

    bool lastKeyWins_;
    std::vector<Frame> stack_;
    Node root_;
    bool haveRoot_ = false;
    std::unordered_map<std::string, Node> anchors_;
};

}  // namespace shift::doc::detail
