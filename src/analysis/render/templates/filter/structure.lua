-- The document's structure, which only the whole document shows (the filter's Pandoc step):
-- * a heading under an unnumbered heading (front matter, bilag) is unnumbered too, so pandoc
--   does not print "0.1" in HTML and typst does not number it in the PDF;
-- * a chapter's lead is its `.manchet` div; in a document without any (hand-written markdown),
--   the first paragraph after a chapter heading is the chapter's lead. A document that marks
--   its leads (the notebooks tag them) gets no other: the Læsevejledning's first entry is an
--   entry like the others, not a lead;
-- * in the PDF, a paragraph that introduces the table right after it ("Tabellen viser …")
--   goes to the next page with the table rather than stay behind alone;
-- * in the PDF, each chapter (a top-level heading and what follows it) is a `kpb-kapitel` call,
--   which marks where the chapter ends and starts a numbered one on a new page (design.typ);
-- * a section whose heading has the class `.local` (the municipality's own answers) and the
--   section headed "Kolofon" are set apart as panels; in the PDF, the tables, figures and boxes
--   in a panel stand where they are in it;
-- * in the PDF, a section that holds a numbered list (the chapters' »Gode råd«) starts after
--   the figures and boxes still waiting for a place: one that went on to the top of the next
--   page would otherwise stand between two items of the list.

local typst = require("filter.typst")

local M = {}

local function unnumber_children(blocks)
  local level = nil
  for _, block in ipairs(blocks) do
    if block.t == "Header" then
      if level ~= nil and block.level > level then
        if not block.classes:includes("unnumbered") then
          block.classes:insert("unnumbered")
        end
      else
        level = block.classes:includes("unnumbered") and block.level or nil
      end
    end
  end
  return blocks
end

-- A chapter's lead paragraph (or a `.manchet` div's blocks) in the format being written.
function M.manchet(blocks)
  if typst.active() then
    return typst.call("kpb-manchet", "", blocks)
  end
  return pandoc.Blocks { pandoc.Div(blocks, pandoc.Attr("", { "manchet" })) }
end

local function is_lead_candidate(block)
  if block == nil or block.t ~= "Para" then
    return false
  end
  local first = block.content[1]
  return first ~= nil and first.t ~= "Strong"
end

-- In HTML the panel gets an id of its own: pandoc would otherwise turn a div that starts with
-- a heading into a <section> and move the heading's id (the TOC's link target) onto it.
-- Typst: the tables, figures and boxes in a panel stand where they are (`inde: true`,
-- `float: false`), in the panel's frame: they are not placed as the text's are (design.typ).
local IN_PANEL = {
  { "^#kpb%-tabel%(", "#kpb-tabel(inde: true, " },
  { "^#kpb%-figur%(", "#kpb-figur(float: false, " },
  { "^#kpb%-boks%(", "#kpb-boks(float: false, " },
}

local function panel(blocks, class, ident)
  if typst.active() then
    -- new raw blocks, not the old ones changed: the report's pandoc keeps a part's filtered
    -- blocks for the next report (report_server.lua)
    local inside = pandoc.Blocks {}
    for _, block in ipairs(blocks) do
      if block.t == "RawBlock" and block.format == "typst" then
        local text = block.text
        for _, rule in ipairs(IN_PANEL) do
          text = text:gsub(rule[1], rule[2])
        end
        inside:insert(text ~= block.text and typst.raw(text) or block)
      else
        inside:insert(block)
      end
    end
    return typst.call("kpb-panel", "kind: " .. typst.string(class), inside)
  end
  return pandoc.Blocks { pandoc.Div(blocks, pandoc.Attr(ident .. "-" .. class, { class })) }
end

-- Does the document mark its leads itself (`.manchet` divs, written by the element step as a
-- div in HTML and as a `kpb-manchet` call in typst)?
local function has_marked_leads(blocks)
  for _, block in ipairs(blocks) do
    if block.t == "Div" and block.classes:includes("manchet") then
      return true
    elseif block.t == "RawBlock" and block.format == "typst"
        and block.text:match("^#kpb%-manchet%(") then
      return true
    end
  end
  return false
end

local function starts_table(block)
  return block ~= nil and block.t == "RawBlock" and block.format == "typst"
    and block.text:match("^#kpb%-tabel%(") ~= nil
end

-- Does a paragraph introduce what follows it: does it speak of a table ("Tabellen viser …",
-- "tabel 3") or end in a colon?
local function introduces(para)
  local text = pandoc.utils.stringify(para):gsub("%s+$", "")
  return text:lower():find("tabel", 1, true) ~= nil or text:sub(-1) == ":"
end

-- Typst: a paragraph right before a table that introduces it is kept with it
-- (`kpb-med-naeste`, design.typ).
local function keep_with_tables(blocks)
  if not typst.active() then
    return blocks
  end
  local out = pandoc.Blocks {}
  for i, block in ipairs(blocks) do
    if block.t == "Para" and starts_table(blocks[i + 1]) and introduces(block) then
      out:extend(typst.call("kpb-med-naeste", "", { block }))
    else
      out:insert(block)
    end
  end
  return out
end

local function sections(blocks)
  local marked_leads = has_marked_leads(blocks)
  local top = nil
  for _, block in ipairs(blocks) do
    if block.t == "Header" and (top == nil or block.level < top) then
      top = block.level
    end
  end
  local out = pandoc.Blocks {}
  local chapter_open = false
  local i = 1
  while i <= #blocks do
    local block = blocks[i]
    if typst.active() and block.t == "Header" and block.level == top then
      if chapter_open then
        out:insert(typst.raw("]"))
      end
      -- a numbered chapter opens a new page (design.typ)
      local numbered = not block.classes:includes("unnumbered")
      -- so do the Konklusion (the front matter's findings, read on their own) and the Bilag,
      -- which belong to the whole report, not to the last chapter; the short Litteratur runs on
      local new_page = numbered or block.identifier == "konklusion" or block.identifier == "bilag"
      -- (a numbered chapter runs on under the chapter before where that leaves half its last
      -- page empty: design.typ's kpb-kapitel)
      local opener = "#kpb-kapitel["
      if numbered then
        opener = "#kpb-kapitel(ny-side: true, loeb-paa: true)["
      elseif new_page then
        opener = "#kpb-kapitel(ny-side: true)["
      end
      out:insert(typst.raw(opener))
      chapter_open = true
    end
    if block.t == "Header" and block.level == top and not marked_leads
        and is_lead_candidate(blocks[i + 1]) then
      out:insert(block)
      out:extend(M.manchet({ blocks[i + 1] }))
      i = i + 2
    elseif block.t == "Header" and (block.classes:includes("local")
        or block.identifier == "kolofon") then
      local class = block.identifier == "kolofon" and "kolofon" or "lokal"
      local section = pandoc.Blocks { block }
      local j = i + 1
      while j <= #blocks and not (blocks[j].t == "Header" and blocks[j].level <= block.level) do
        section:insert(blocks[j])
        j = j + 1
      end
      out:extend(panel(section, class, block.identifier))
      i = j
    else
      out:insert(block)
      i = i + 1
    end
  end
  if chapter_open then
    out:insert(typst.raw("]"))
  end
  return out
end

-- Before the heading of each section (below a chapter) that holds a numbered list, in the
-- PDF: the floats still waiting are placed first (typst's `place.flush`).
local function lists_after_floats(blocks)
  if not typst.active() then
    return blocks
  end
  local out = pandoc.Blocks {}
  for i, block in ipairs(blocks) do
    if block.t == "Header" and block.level > 1 then
      local j = i + 1
      while j <= #blocks and not (blocks[j].t == "Header" and blocks[j].level <= block.level)
          and blocks[j].t ~= "OrderedList" do
        j = j + 1
      end
      if j <= #blocks and blocks[j].t == "OrderedList" then
        out:insert(typst.raw("#place.flush()"))
      end
    end
    out:insert(block)
  end
  return out
end

-- The document's blocks with their structure.
function M.blocks(blocks)
  return sections(lists_after_floats(keep_with_tables(unnumber_children(blocks))))
end

return M
