#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "term/diff.hpp"

using shift::term::unifiedDiff;

namespace {

// A VirtualService as the API server returns it, with one route of (subset, weight) destinations.
std::string virtualService(const std::vector<std::pair<std::string, std::optional<int>>>& routes) {
    std::string s =
        "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: reviews\n"
        "  namespace: istio-demo\n  resourceVersion: \"1\"\nspec:\n  hosts:\n  - reviews\n  http:\n"
        "  - route:\n";
    for (const auto& [subset, weight] : routes) {
        s += "    - destination:\n        host: reviews\n        subset: " + subset + "\n";
        if (weight) s += "      weight: " + std::to_string(*weight) + "\n";
    }
    return s;
}

// Lines "l1".."lN", with the listed line numbers spelled "L<n>" instead.
std::string numbered(int n, std::vector<int> upper = {}) {
    std::string s;
    for (int i = 1; i <= n; ++i) {
        bool up = std::find(upper.begin(), upper.end(), i) != upper.end();
        s += (up ? "L" : "l") + std::to_string(i) + "\n";
    }
    return s;
}

std::string diff(std::string_view a, std::string_view b, int context = 3) {
    return unifiedDiff(a, b, "live", "merged", false, context);
}

}  // namespace

// Every expected text below is what GNU diffutils 3.8 prints for `diff -U<n> --label live --label merged`.
TEST_SUITE("term::diff") {
    TEST_CASE("equal texts have no diff") {
        CHECK(diff("", "") == "");
        CHECK(diff("a\nb\n", "a\nb\n") == "");
        CHECK(diff("a\nb", "a\nb") == "");
    }

    TEST_CASE("a weight change is one hunk with three lines of context") {
        CHECK(diff(virtualService({{"v1", 100}, {"v2", 0}}), virtualService({{"v1", 50}, {"v2", 50}})) ==
              R"(--- live
+++ merged
@@ -12,8 +12,8 @@
     - destination:
         host: reviews
         subset: v1
-      weight: 100
+      weight: 50
     - destination:
         host: reviews
         subset: v2
-      weight: 0
+      weight: 50
)");
    }

    TEST_CASE("an added destination lines up as diff lines it up") {
        CHECK(diff(virtualService({{"v1", 50}, {"v2", 50}}),
                   virtualService({{"v1", 50}, {"v3", 50}, {"v2", 0}})) == R"(--- live
+++ merged
@@ -15,5 +15,9 @@
       weight: 50
     - destination:
         host: reviews
-        subset: v2
+        subset: v3
       weight: 50
+    - destination:
+        host: reviews
+        subset: v2
+      weight: 0
)");
    }

    TEST_CASE("distant changes get their own hunks") {
        std::string a = numbered(20), b = numbered(20, {2, 18});
        SUBCASE("context 3") {
            CHECK(diff(a, b) == R"(--- live
+++ merged
@@ -1,5 +1,5 @@
 l1
-l2
+L2
 l3
 l4
 l5
@@ -15,6 +15,6 @@
 l15
 l16
 l17
-l18
+L18
 l19
 l20
)");
        }
        SUBCASE("context 1") {
            CHECK(diff(a, b, 1) == R"(--- live
+++ merged
@@ -1,3 +1,3 @@
 l1
-l2
+L2
 l3
@@ -17,3 +17,3 @@
 l17
-l18
+L18
 l19
)");
        }
        SUBCASE("context 0 leaves out the count of one-line ranges") {
            CHECK(diff(a, b, 0) == R"(--- live
+++ merged
@@ -2 +2 @@
-l2
+L2
@@ -18 +18 @@
-l18
+L18
)");
        }
    }

    TEST_CASE("changes at most twice the context apart share a hunk") {
        SUBCASE("six lines apart: one hunk") {
            CHECK(diff(numbered(15), numbered(15, {3, 10})) == R"(--- live
+++ merged
@@ -1,13 +1,13 @@
 l1
 l2
-l3
+L3
 l4
 l5
 l6
 l7
 l8
 l9
-l10
+L10
 l11
 l12
 l13
)");
        }
        SUBCASE("seven lines apart: two hunks") {
            CHECK(diff(numbered(15), numbered(15, {3, 11})) == R"(--- live
+++ merged
@@ -1,6 +1,6 @@
 l1
 l2
-l3
+L3
 l4
 l5
 l6
@@ -8,7 +8,7 @@
 l8
 l9
 l10
-l11
+L11
 l12
 l13
 l14
)");
        }
    }

    TEST_CASE("empty ranges name the line before them, with a count of 0") {
        CHECK(diff("", "a\nb\n") == "--- live\n+++ merged\n@@ -0,0 +1,2 @@\n+a\n+b\n");
        CHECK(diff("a\nb\n", "") == "--- live\n+++ merged\n@@ -1,2 +0,0 @@\n-a\n-b\n");
        CHECK(diff("b\nc\nd\ne\nf\n", "a\nb\nc\nd\ne\nf\n") ==
              "--- live\n+++ merged\n@@ -1,3 +1,4 @@\n+a\n b\n c\n d\n");
        const char* a = "a\nb\nc\nd\ne\nf\ng\nh\n";
        const char* b = "a\nb\nc\ne\nf\ng\nh\n";
        CHECK(diff(a, b) == "--- live\n+++ merged\n@@ -1,7 +1,6 @@\n a\n b\n c\n-d\n e\n f\n g\n");
        CHECK(diff(a, b, 1) == "--- live\n+++ merged\n@@ -3,3 +3,2 @@\n c\n-d\n e\n");
        CHECK(diff(a, b, 0) == "--- live\n+++ merged\n@@ -4 +3,0 @@\n-d\n");
    }

    TEST_CASE("a last line without a newline is marked") {
        SUBCASE("only the newline differs") {
            CHECK(diff("a\nb", "a\nb\n") == R"(--- live
+++ merged
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+b
)");
        }
        SUBCASE("as context") {
            CHECK(diff("a\nb\nc", "a\nB\nc") == R"(--- live
+++ merged
@@ -1,3 +1,3 @@
 a
-b
+B
 c
\ No newline at end of file
)");
        }
    }

    TEST_CASE("colour: bold headers, cyan hunk headers, red removals, green additions") {
        CHECK(unifiedDiff("a\nb\n", "a\nc\n", "live", "merged", true) ==
              "\x1b[1m--- live\x1b[0m\n"
              "\x1b[1m+++ merged\x1b[0m\n"
              "\x1b[36m@@ -1,2 +1,2 @@\x1b[0m\n"
              " a\n"
              "\x1b[31m-b\x1b[0m\n"
              "\x1b[32m+c\x1b[0m\n");
    }

    TEST_CASE("braces in the text are printed as they are") {
        CHECK(diff("{}\n", "{x}\n") == "--- live\n+++ merged\n@@ -1 +1 @@\n-{}\n+{x}\n");
    }

    TEST_CASE("a few changes in a 3 MB manifest give just their hunks") {
        std::string big;
        for (int i = 0; big.size() < 3'000'000; ++i) big += "    - name: item-" + std::to_string(i) + "\n";
        std::string changed = big;
        for (const char* line : {"item-10\n", "item-40000\n", "item-99000\n"}) {
            size_t at = changed.find(line);
            REQUIRE(at != std::string::npos);
            changed.insert(at + std::string_view(line).size() - 1, "-edited");
        }
        std::string out = diff(big, changed);
        CHECK(out.find("@@ -8,7 +8,7 @@\n") != std::string::npos);
        CHECK(out.find("-    - name: item-40000\n+    - name: item-40000-edited\n") != std::string::npos);
        CHECK(out.find("+    - name: item-99000-edited\n") != std::string::npos);
        size_t hunks = 0;
        for (size_t at = out.find("\n@@ "); at != std::string::npos; at = out.find("\n@@ ", at + 1)) ++hunks;
        CHECK(hunks == 3);
    }
}
