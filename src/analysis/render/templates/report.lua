-- Pandoc filter shared by the report's HTML and PDF (typst) writers, and by both engines: pandoc
-- (`--lua-filter`, and report_server.lua) and Quarto (`filters:`). It gives the house design's
-- blocks the same form in both formats; each concern is a module in filter/:
--
-- * hyphenation.lua  listed compounds divided only at their listed points (hyphenation.txt),
--                    authors' names in references never divided;
-- * quotes.lua       Danish quotation marks, interview quotes with their role label, and
--                    constructed quotes set apart from them;
-- * spaces.lua       a number and its "%", an N and its value, a count and its whole
--                    ("28 af 44") and a reference and its number ("kapitel 3"), never
--                    divided at a line end;
-- * boxes.lua        `.boks`, `.eksempel` and `.definition` boxes with their titles;
-- * tables.lua       `.tabel` divs: columns aligned by content, in typst widths measured
--                    from the content (design.typ; columns.lua names the texts that must
--                    stand on one line) and the source line kept with it;
-- * figures.lua      typst figures with their alt text, kept with their source line
--                    (placed where the text has room for them: design.typ);
-- * structure.lua    chapter leads, municipal panels, the kolofon, unnumbered children;
-- * typst.lua        writing typst: strings, plain text, calls of the design's functions.
--
-- The modules are found from this file's folder, which pandoc and Quarto give a filter as
-- PANDOC_SCRIPT_FILE (report_server.lua sets it before loading this file).

local modules = pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "?.lua" })
if not package.path:find(modules, 1, true) then
  package.path = modules .. ";" .. package.path
end

local boxes = require("filter.boxes")
local figures = require("filter.figures")
local hyphenation = require("filter.hyphenation")
local quotes = require("filter.quotes")
local spaces = require("filter.spaces")
local structure = require("filter.structure")
local tables = require("filter.tables")

local function div(element)
  if element.classes:includes("tabel") then
    return tables.div(element)
  end
  local kind = boxes.kind(element)
  if kind then
    return boxes.div(element, kind)
  end
  if element.classes:includes("manchet") then
    return structure.manchet(element.content)
  end
  if element.classes:includes(quotes.CONSTRUCTED_CLASS) then
    return quotes.constructed(element)
  end
  -- Unchanged: nil, so pandoc keeps the div as it is instead of reading it (and all it
  -- holds) back from Lua.
  return figures.div(element)
end

-- One traversal (pandoc's typewise order: inlines such as Quoted first, then lists of inlines,
-- then blocks from the innermost out, then the whole document), as every traversal costs a copy of the document.
-- The document-level step (Pandoc) needs the whole document; every other step depends only
-- on the element, so report_server.lua may apply them to a part of the document at a time.
return {
  {
    Str = hyphenation.Str,
    Image = hyphenation.unhyphenate,
    Quoted = quotes.marks,
    Inlines = function(inlines)
      local bound = spaces.inlines(inlines)
      return hyphenation.names(bound or inlines) or bound
    end,
    Figure = figures.figure,
    Header = hyphenation.unhyphenate,
    Div = div,
    BlockQuote = quotes.interview,
    Pandoc = function(doc)
      doc = require("filter.crossrefs").document(doc) -- labels, appendices, numbered links
      doc.meta = hyphenation.unhyphenate_meta(doc.meta)
      doc.blocks = structure.blocks(doc.blocks)
      return doc
    end,
  },
}
