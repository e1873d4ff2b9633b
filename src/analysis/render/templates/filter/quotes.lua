-- Quotes: "…" becomes »…« and '…' becomes ›…‹ in every format; a block quote whose last
-- paragraph starts with a dash is an interview quote, and that paragraph is its role label
-- (`kpb-citat` in typst, a `.citat` div with a `.rolle` line in HTML). An interview quote's
-- words are never divided at a line end (no soft hyphens; design_blocks.typ, report.css).
--
-- A constructed quote (an example written for the report, not said in an interview) is set
-- apart from the interview quotes (`konstrueret: true` in typst, `.citat.konstrueret` in
-- HTML). It is one whose role label ends in a marking such as »(syntetisk eksempel)«, or any
-- quote in a div of class `konstrueret`.

local hyphenation = require("filter.hyphenation")
local typst = require("filter.typst")

local DOUBLE = { "»", "«" }
local SINGLE = { "›", "‹" }
local ROLE_DASHES = { ["—"] = true, ["–"] = true, ["-"] = true, ["---"] = true, ["--"] = true }

local M = {}

-- The filter's Quoted step: Danish quotation marks.
function M.marks(quoted)
  local marks = quoted.quotetype == "SingleQuote" and SINGLE or DOUBLE
  local inlines = pandoc.Inlines { pandoc.Str(marks[1]) }
  inlines:extend(quoted.content)
  inlines:insert(pandoc.Str(marks[2]))
  return inlines
end

local function starts_with_dash(block)
  if block == nil or (block.t ~= "Para" and block.t ~= "Plain") then
    return false
  end
  local first = block.content[1]
  return first ~= nil and first.t == "Str" and (ROLE_DASHES[first.text]
    or first.text:match("^—") ~= nil)
end

-- The role label without its dash.
local function role_inlines(block)
  local inlines = pandoc.Inlines(block.content)
  local first = inlines[1]
  local rest = first.text:gsub("^[—–%-]+", "")
  if rest == "" then
    inlines:remove(1)
  else
    inlines[1] = pandoc.Str(rest)
  end
  while inlines[1] and (inlines[1].t == "Space" or inlines[1].t == "SoftBreak") do
    inlines:remove(1)
  end
  return inlines
end

-- A role label's closing words that mark a quote as constructed, in lower case.
local CONSTRUCTED = { "(syntetisk eksempel)", "(syntetisk citat)", "(konstrueret eksempel)",
  "(konstrueret citat)" }
M.CONSTRUCTED_CLASS = "konstrueret"

local function is_constructed(role)
  local text = pandoc.text.lower(pandoc.utils.stringify(role)):gsub("%s+$", "")
  for _, mark in ipairs(CONSTRUCTED) do
    if text:sub(-#mark) == mark then
      return true
    end
  end
  return false
end

local CITAT_CALL = "^#kpb%-citat%("

-- The filter's BlockQuote step: an interview quote in the format being written, or nil.
function M.interview(quote)
  local blocks = pandoc.Blocks(quote.content)
  local last = blocks[#blocks]
  if not starts_with_dash(last) or #blocks < 2 then
    return nil
  end
  blocks:remove(#blocks)
  -- a quote is given as it was said: never divided at a line end (set ragged right)
  blocks = pandoc.Blocks(blocks):walk({ Str = hyphenation.unhyphenate_str,
    RawInline = hyphenation.unhyphenate_raw })
  local role = role_inlines(last)
  local constructed = is_constructed(role)
  if typst.active() then
    return typst.call("kpb-citat", (constructed and "konstrueret: true, " or "")
      .. "role: [" .. typst.inlines(role) .. "]", blocks)
  end
  local sig = pandoc.Inlines { pandoc.Str("—"), pandoc.Space() }
  sig:extend(role)
  blocks:insert(pandoc.Div({ pandoc.Para(sig) }, pandoc.Attr("", { "rolle" })))
  local classes = { "citat" }
  if constructed then
    classes[2] = M.CONSTRUCTED_CLASS
  end
  return pandoc.Div({ pandoc.BlockQuote(blocks) }, pandoc.Attr("", classes))
end

-- A div of class `konstrueret`: the quotes in it (already made interview quotes: the filter
-- works from the innermost element out) marked as constructed, and the div itself dropped.
function M.constructed(div)
  local blocks = pandoc.Blocks {}
  for _, block in ipairs(div.content) do
    if block.t == "RawBlock" and block.format == "typst" and block.text:match(CITAT_CALL)
        and not block.text:find("konstrueret: true", 1, true) then
      block = pandoc.RawBlock("typst",
        (block.text:gsub(CITAT_CALL, "#kpb-citat(konstrueret: true, ")))
    elseif block.t == "Div" and block.classes:includes("citat")
        and not block.classes:includes(M.CONSTRUCTED_CLASS) then
      local classes = pandoc.List(block.classes)
      classes:insert(M.CONSTRUCTED_CLASS)
      block = pandoc.Div(block.content, pandoc.Attr(block.identifier, classes,
        block.attributes))
    end
    blocks:insert(block)
  end
  return blocks
end

return M
