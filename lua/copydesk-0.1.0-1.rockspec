-- The LuaRocks package of the copydesk module: `luarocks --lua-version=5.4 make
-- lua/copydesk-0.1.0-1.rockspec` from the project's top folder. tests/lua/rockspec_spec.lua checks
-- that every C file and helper of the tree is listed here.
rockspec_format = "3.0"
package = "copydesk"
version = "0.1.0-1"
source = {
  url = "git+file:///dev/null",
}
description = {
  summary = "Cleaning scraped news articles: a C core with a Lua 5.4 scripting layer",
  detailed = "Repairs mojibake, parses front matter, segments text, strips boilerplate and " ..
    "captions, measures quality and finds near-duplicates.",
  license = "MIT",
}
dependencies = {
  "lua >= 5.4, < 5.5",
}
external_dependencies = {
  UTF8PROC = { header = "utf8proc.h" },
  YAML = { header = "yaml.h" },
  JANSSON = { header = "jansson.h" },
  XXHASH = { header = "xxhash.h" },
  ZLIB = { header = "zlib.h" },
  ZSTD = { header = "zstd.h" },
}
build = {
  type = "builtin",
  modules = {
    copydesk = {
      sources = {
        "core/article.c",
        "core/boilerplate.c",
        "core/buf.c",
        "core/captions.c",
        "core/clean.c",
        "core/dedup.c",
        "core/dir.c",
        "core/err.c",
        "core/fix.c",
        "core/fix_chars.c",
        "core/fix_codepages.c",
        "core/fix_entities.c",
        "core/fix_entity_tables.c",
        "core/fix_explain.c",
        "core/fix_hint.c",
        "core/fix_mojibake.c",
        "core/fix_pages.c",
        "core/fix_tables.c",
        "core/fix_weirdness.c",
        "core/glue.c",
        "core/jsonl.c",
        "core/meta.c",
        "core/minhash.c",
        "core/ngrams.c",
        "core/pattern.c",
        "core/quality.c",
        "core/reader.c",
        "core/repeats.c",
        "core/segment.c",
        "core/segment_tables.c",
        "core/sentence.c",
        "core/sentence_abbrevs.c",
        "core/text.c",
        "core/utf8.c",
        "core/value.c",
        "core/words.c",
        "core/yaml.c",
        "lua/articlelib.c",
        "lua/cleanlib.c",
        "lua/copydesk.c",
        "lua/deduplib.c",
        "lua/docslib.c",
        "lua/fixlib.c",
        "lua/fslib.c",
        "lua/patternlib.c",
        "lua/segmentlib.c",
      },
      defines = { "_POSIX_C_SOURCE=200809L", "_DEFAULT_SOURCE" },
      incdirs = { "include", "core" },
      libraries = { "utf8proc", "yaml", "jansson", "xxhash", "z", "zstd", "m" },
    },
    ["copydesk.article"] = "lua/copydesk/article.lua",
    ["copydesk.cli"] = "lua/copydesk/cli.lua",
    ["copydesk.documents"] = "lua/copydesk/documents.lua",
    ["copydesk.files"] = "lua/copydesk/files.lua",
    ["copydesk.filter"] = "lua/copydesk/filter.lua",
    ["copydesk.jobs"] = "lua/copydesk/jobs.lua",
    ["copydesk.meta"] = "lua/copydesk/meta.lua",
    ["copydesk.path"] = "lua/copydesk/path.lua",
    ["copydesk.progress"] = "lua/copydesk/progress.lua",
    ["copydesk.repl"] = "lua/copydesk/repl.lua",
    ["copydesk.report"] = "lua/copydesk/report.lua",
  },
}
