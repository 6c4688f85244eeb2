#include <doctest/doctest.h>

#include "core/apply.hpp"
#include "core/locate.hpp"
#include "helpers.hpp"

using namespace shift;

TEST_SUITE("core::rerenderYamlDocument") {
    TEST_CASE("only the shifted document is re-rendered; the others and the comments around it stay") {
        const std::string first =
            "# ratings, untouched\nkind: Service\nmetadata: {name: ratings}  # flow\nspec:\n  a: {b: "
            "\"1\"}\n";
        const std::string vs =
            "kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http:\n  - route:\n"
            "    - destination: &d {host: reviews, subset: v1}\n";
        const std::string last =
            "---\n# rules\nkind: DestinationRule\nmetadata: {name: reviews}\nspec: {x: [1, 2]}\n";
        auto text = first + "---\n# the shifted one\n" + vs + "# trailing comment\n" + last;
        auto s = test::yaml(text);
        auto at = core::findVirtualService(s.docs, "reviews", "", "t");
        REQUIRE(at.ok());
        const auto& object = core::objectAt(s.docs, *at);
        auto p = core::planShift(object, test::request({"v1=50", "v3=50"}), {}, nullptr);
        REQUIRE(p.ok());
        CHECK_FALSE(core::applyToYamlText(s.source, object, p->vs, p->rules));  // the anchor
        auto out =
            core::rerenderYamlDocument(s.source, s.docs, *at, core::applyToTree(object, p->vs, p->rules));
        CHECK(out == first + "---\n# the shifted one\n" +
                         "kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http:\n  - route:\n"
                         "    - destination:\n        host: reviews\n        subset: v1\n      weight: 50\n"
                         "    - destination:\n        host: reviews\n        subset: v3\n      weight: 50\n"
                         "# trailing comment\n" +
                         last);
    }
}
