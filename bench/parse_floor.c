/* The parse-only floor of file mode: libyaml's parser walks every event of each file given and does
 * nothing else (no tree, no output). No tool that reads YAML through libyaml can be faster; bench/run.py
 * builds this with the system compiler and times it on the same files as shift, in the same run, and
 * prints shift's time and memory as ratios to it.
 *
 *     cc -O2 -o parse_floor bench/parse_floor.c -lyaml && ./parse_floor FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

static long walk(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    yaml_parser_t parser;
    yaml_event_t event;
    long events = 0;
    if (!yaml_parser_initialize(&parser)) exit(2);
    yaml_parser_set_input_file(&parser, f);
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s: %s\n", path, parser.problem ? parser.problem : "parse error");
            exit(1);
        }
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        ++events;
        if (done) break;
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return events;
}

int main(int argc, char **argv) {
    long events = 0;
    for (int i = 1; i < argc; ++i) events += walk(argv[i]);
    printf("%ld events\n", events);
    return 0;
}
