describe("cleaning steps", function()
  local cd = require "copydesk"

  describe("normalize_space", function()
    it("trims lines, folds spaces and blank lines, ends with one newline", function()
      assert.equals("a b\n\nc\n", cd.normalize_space("  a \xc2\xa0  b \n\n\n\n c\t\n\n"))
      assert.equals("", cd.normalize_space(" \n \n"))
    end)

    it("returns fail and the position on invalid UTF-8", function()
      local s, msg, pos = cd.normalize_space("ab\xff")
      assert.is_nil(s)
      assert.is_string(msg)
      assert.equals(3, pos)
    end)
  end)

  describe("clean", function()
    local article = assert(io.open("tests/fixtures/clean/captions_article.txt")):read("a")

    -- The steps one by one, as a script would chain them.
    local function chained(text, site)
      local counts, removed, list = {}, {}, {}
      text, removed = cd.strip_boilerplate(text)
      for _, r in ipairs(removed) do list[#list + 1] = r end
      if site then
        text, removed = cd.strip_boilerplate(text, { patterns = site, builtin = false })
        for _, r in ipairs(removed) do r.reason = "site-boilerplate"; list[#list + 1] = r end
      end
      text, removed = cd.strip_captions(text)
      for _, r in ipairs(removed) do list[#list + 1] = r end
      text, removed = cd.strip_repeats(text)
      for _, r in ipairs(removed) do list[#list + 1] = r end
      for _, r in ipairs(list) do counts[r.reason] = (counts[r.reason] or 0) + 1 end
      return assert(cd.normalize_space(text)), counts, list
    end

    -- the fixture with a paragraph repeated, so every step removes something
    local input = article .. "\nPedro waved at fans from the back of his scooter.\n"

    it("gives what the steps give one by one, with counts by reason", function()
      local want, want_counts = chained(input)
      local text, counts, removed = cd.clean(input)
      assert.equals(want, text)
      assert.same(want_counts, counts)
      assert.is_nil(removed)
      assert.is_true(counts.boilerplate > 0 and counts.caption > 0 and counts["caption-repeat"] > 0)
      assert.equals(1, counts["repeat"])
    end)

    it("lists what went when asked, and counts site patterns apart", function()
      local site = "- stage one: lisbon to sintra along the coast"
      local want, want_counts, want_list = chained(input, site)
      local text, counts, removed = cd.clean(input, { site_patterns = site, removed = true })
      assert.equals(want, text)
      assert.same(want_counts, counts)
      assert.equals(1, counts["site-boilerplate"])
      assert.equals(#want_list, #removed)
      for i, r in ipairs(removed) do
        assert.same({ reason = want_list[i].reason, text = want_list[i].text }, r)
      end
    end)

    it("switches steps off, keeps their options and refuses unknown ones", function()
      local text, counts = cd.clean(article, { boilerplate = false, captions = false, repeats = false })
      assert.equals(assert(cd.normalize_space(article)), text)
      assert.same({}, counts)
      text = cd.clean(article, { keep_unique = true, patterns = { "share this article" }, builtin = false })
      assert.matches("Advertisement", text)
      assert.not_matches("Share this article", text)
      assert.matches("Put your foot down!", text) -- a caption that repeats nothing stays
      assert.has_error(function() cd.clean(article, { captins = false }) end,
        "bad argument #2 to 'clean' (unknown option 'captins')")
    end)

    it("returns fail, message and position for text that is not UTF-8", function()
      local text, msg, pos = cd.clean("ok\n\xff")
      assert.is_nil(text)
      assert.is_string(msg)
      assert.equals(4, pos)
    end)
  end)

  describe("strip_boilerplate", function()
    it("removes lines that stand alone and says where they were", function()
      local input = "Advertisement\n\nThe ferry sailed.\n\nScroll down for video\n"
      local text, removed = cd.strip_boilerplate(input)
      assert.not_matches("Advertisement", text)
      assert.not_matches("Scroll down", text)
      assert.matches("The ferry sailed%.", text)
      assert.equals(2, #removed)
      for _, r in ipairs(removed) do
        assert.equals("boilerplate", r.reason)
        assert.equals(r.text, input:sub(r.first, r.last))
      end
    end)

    it("never touches the words inside prose", function()
      local prose = "Advertisement for the new caf\xc3\xa9 was painted on the wall.\n"
      local text, removed = cd.strip_boilerplate(prose)
      assert.equals(prose, text)
      assert.same({}, removed)
    end)
  end)

  describe("strip_captions", function()
    local body = "The ferry made its first crossing on Sunday, carrying 212 passengers.\n\n" ..
      "Maiden voyage: The ferry made its first crossing on Sunday, carrying 212 passengers\n\n" ..
      "Hey! Children waved flags from the upper deck as the ferry left\n\n" ..
      "The mayor said: 'It's a gorgeous morning for it.'\n"

    it("removes captions and records repeats as the stronger reason", function()
      local text, removed = cd.strip_captions(body)
      assert.not_matches("Maiden voyage", text)
      assert.not_matches("Hey!", text)
      assert.matches("The mayor said: 'It's a gorgeous morning", text)
      assert.equals(2, #removed)
      assert.equals("caption-repeat", removed[1].reason)
      assert.equals("caption", removed[2].reason)
      for _, r in ipairs(removed) do assert.equals(r.text, body:sub(r.first, r.last)) end
    end)

    it("keeps the captions that repeat nothing, by option", function()
      local text, removed = cd.strip_captions(body, { keep_unique = true })
      assert.matches("Hey! Children", text)
      assert.not_matches("Maiden voyage", text)
      assert.equals(1, #removed)
    end)

    it("rejects unknown options", function()
      assert.error_matches(function() cd.strip_captions("x", { keep = true }) end, "unknown option 'keep'")
    end)
  end)

  describe("strip_boilerplate options", function()
    it("takes more patterns as a string or a list, and can leave the built-in list out", function()
      local input = "Advertisement\nMore from Harbour News\nKept.\n"
      assert.equals("Kept.\n", (cd.strip_boilerplate(input, { patterns = "# c\nmore from *\n" })))
      assert.equals("Kept.\n", (cd.strip_boilerplate(input, { patterns = { "more from *" } })))
      local text, removed = cd.strip_boilerplate(input, { patterns = { "more from *" }, builtin = false })
      assert.equals("Advertisement\nKept.\n", text)
      assert.equals("More from Harbour News\n", removed[1].text)
    end)

    it("rejects bad options by name", function()
      assert.error_matches(function() cd.strip_boilerplate("x", { pattern = "y" }) end, "unknown option 'pattern'")
      assert.error_matches(function() cd.strip_boilerplate("x", { patterns = 3 }) end,
        "option 'patterns' must be a string or a list, got number")
      assert.error_matches(function() cd.strip_boilerplate("x", { patterns = { "a", 2 } }) end,
        "option 'patterns': item 2 is not a string")
      assert.error_matches(function() cd.strip_boilerplate("x", { builtin = 1 }) end,
        "option 'builtin' must be a boolean")
    end)

    it("lists its built-in patterns", function()
      local list = cd.boilerplate_patterns()
      assert.equals("advertisement", list[1])
      local has = {}
      for _, p in ipairs(list) do has[p] = true end
      assert.is_true(has["photo: *"] and has["anzeige"] and has["sign up for *newsletter*"])
    end)
  end)

  describe("strip_repeats", function()
    local body = "The ferry left the harbour at dawn on Sunday.\n\nYes.\n\nYes.\n\n" ..
      "THE FERRY LEFT THE HARBOUR, AT DAWN ON SUNDAY\n"
    it("keeps the first of paragraphs equal after normalisation, not short ones", function()
      local text, removed = cd.strip_repeats(body)
      assert.equals("The ferry left the harbour at dawn on Sunday.\n\nYes.\n\nYes.\n", text)
      assert.equals(1, #removed)
      assert.equals("repeat", removed[1].reason)
      assert.equals(removed[1].text, body:sub(removed[1].first, removed[1].last))
      assert.equals(2, #select(2, cd.strip_repeats(body, { min_len = 3 })))
    end)

    it("checks min_len", function()
      assert.error_matches(function() cd.strip_repeats("x", { min_len = 0 }) end, "positive integer")
      assert.error_matches(function() cd.strip_repeats("x", { min = 1 }) end, "unknown option 'min'")
    end)
  end)

  describe("split_glued", function()
    it("puts the breaks back and reports each seam as an insertion", function()
      local s = "the franchise.And Tom; AdvertisementHe has"
      local text, seams = cd.split_glued(s)
      assert.equals("the franchise.\n\nAnd Tom; Advertisement\n\nHe has", text)
      assert.equals(2, #seams)
      assert.same({ first = 15, last = 14, reason = "glue", text = "" }, seams[1])
      assert.equals("the franchise. And Tom; Advertisement He has", (cd.split_glued(s, { sentences = true })))
    end)

    it("needs the body for a name after the seam, and never splits the traps", function()
      local s = "in Rome on MondayTom looked sombre"
      assert.equals(s, (cd.split_glued(s)))
      assert.equals("in Rome on Monday\n\nTom looked sombre",
        (cd.split_glued(s, { body = "Star: He filmed in Rome on Monday\n\nTom looked sombre as he left.\n" })))
      local traps = "McQuarrie, iPhone, the U.S.Army, Node.js.Then, www.Example.com/A.B, 3.5, Mr.Smith"
      assert.equals(traps, (cd.split_glued(traps)))
    end)

    it("checks its options", function()
      assert.error_matches(function() cd.split_glued("x", { body = 1 }) end, "option 'body' must be a string")
      assert.error_matches(function() cd.split_glued("x", { sentence = true }) end, "unknown option 'sentence'")
    end)
  end)

  describe("parse_date", function()
    it("reads epochs, ISO 8601, RFC 2822 and English dates into ISO 8601 UTC", function()
      assert.same({ "2020-10-12T13:32:21Z", 1602509541, true }, { cd.parse_date(1602509541.0172567) })
      assert.same({ "2020-10-12T13:32:21Z", 1602509541, true }, { cd.parse_date("1602509541017") })
      assert.same({ "2020-10-05", 1601856000, false }, { cd.parse_date("October 5, 2020") })
      assert.equals("2020-10-05T14:02:00Z", (cd.parse_date("Mon, 05 Oct 2020 16:02:00 +0200")))
    end)

    it("returns fail, a message and the position for what is no date", function()
      assert.same({ nil, "1:1: impossible date (date)", 1 }, { cd.parse_date("2021-02-29") })
      assert.same({ nil, "1:7: not a date (date)", 7 }, { cd.parse_date("March soon") })
      assert.error_matches(function() cd.parse_date({}) end, "string or number expected")
    end)
  end)

  it("url_valid accepts absolute http(s) URLs only", function()
    assert.is_true(cd.url_valid("https://example.com/a.jpg"))
    assert.is_false(cd.url_valid("/a.jpg"))
    assert.is_false(cd.url_valid("https://exa mple.com"))
  end)

  describe("quality", function()
    it("measures words by Unicode segmentation, with every filter's measures", function()
      local q = cd.quality("The cat sat on the mat.\n\nThe cat sat on the mat.\n")
      assert.equals(12, q.words)
      assert.equals(2, q.paragraphs)
      assert.equals(0.5, q.dup_lines)
      assert.equals(0.5, q.dup_paras)
      assert.equals(4, q.stop_words)
      assert.equals(1, q.punct_lines)
      assert.is_false(q.lorem_ipsum)
      for _, k in ipairs { "top_2gram_chars", "top_3gram_chars", "top_4gram_chars", "dup_5gram_chars",
        "dup_10gram_chars", "mean_word_len", "alpha_words", "hash_ratio", "ellipsis_ratio", "bullet_lines",
        "ellipsis_lines", "short_lines", "newline_ratio", "dup_line_chars", "dup_para_chars", "sentences",
        "chars", "lines" } do
        assert.is_number(q[k], k)
      end
      assert.equals(7, cd.quality("\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xaf\xe5\xa4\xa7\xe3\x81\x8d\xe3\x81\x84\xe3\x80\x82 ok").words)
    end)

    it("counts Thai one word per four letters, marks left out", function()
      -- ฉันชอบกินข้าวผัด ("I like to eat fried rice"): 16 code points, 12 letters, 3 words
      local q = cd.quality("\u{E09}\u{E31}\u{E19}\u{E0A}\u{E2D}\u{E1A}\u{E01}\u{E34}\u{E19}" ..
        "\u{E02}\u{E49}\u{E32}\u{E27}\u{E1C}\u{E31}\u{E14}")
      assert.equals(3, q.words)
      assert.equals(16 / 3, q.mean_word_len)
    end)

    it("sorts lines by C4's line rules and counts the sentences of the lines C4 keeps", function()
      local q = cd.quality("Breaking news\n\nThe council met on Monday. It voted to rebuild the pier.\n\n" ..
        "Enable JavaScript to see the full results below.\n\nThis site uses cookies, as most sites do.\n\n" ..
        "No, she said.\n")
      assert.same({ 1, 2, 1, 1, 1, 1, 0, 6 }, { q.c4_lines, q.c4_sentences, q.c4_no_punct_lines,
        q.c4_javascript_lines, q.c4_policy_lines, q.c4_short_lines, q.c4_long_word_lines, q.sentences })
    end)
  end)
end)
