-- The document's structure, which only the whole document shows (the filter's Pandoc step):
-- * a heading under an unnumbered heading (front matter, bilag) is unnumbered too, so pandoc
--   does not print "0.1" in HTML and typst does not number it in the PDF;
-- * the first paragraph after a chapter heading is the chapter's lead (`.manchet`);
-- * a section whose heading has the class `.local` (the municipality's own answers) and the
--   section headed "Kolofon" are set apart as panels.

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
local function panel(blocks, class, ident)
  if typst.active() then
    return typst.call("kpb-panel", "kind: " .. typst.string(class), blocks)
  end
  return pandoc.Blocks { pandoc.Div(blocks, pandoc.Attr(ident .. "-" .. class, { class })) }
end

local function sections(blocks)
  local top = nil
  for _, block in ipairs(blocks) do
    if block.t == "Header" and (top == nil or block.level < top) then
      top = block.level
    end
  end
  local out = pandoc.Blocks {}
  local i = 1
  while i <= #blocks do
    local block = blocks[i]
    if block.t == "Header" and block.level == top and is_lead_candidate(blocks[i + 1]) then
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
  return out
end

-- The document's blocks with their structure.
function M.blocks(blocks)
  return sections(unnumber_children(blocks))
end

return M
