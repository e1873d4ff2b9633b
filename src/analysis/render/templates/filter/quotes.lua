-- Quotes: "…" becomes »…« and '…' becomes ›…‹ in every format; a block quote whose last
-- paragraph starts with a dash is an interview quote, and that paragraph is its role label
-- (`kpb-citat` in typst, a `.citat` div with a `.rolle` line in HTML).

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

-- The filter's BlockQuote step: an interview quote in the format being written, or nil.
function M.interview(quote)
  local blocks = pandoc.Blocks(quote.content)
  local last = blocks[#blocks]
  if not starts_with_dash(last) or #blocks < 2 then
    return nil
  end
  blocks:remove(#blocks)
  local role = role_inlines(last)
  if typst.active() then
    return typst.call("kpb-citat", "role: [" .. typst.inlines(role) .. "]", blocks)
  end
  local sig = pandoc.Inlines { pandoc.Str("—"), pandoc.Space() }
  sig:extend(role)
  blocks:insert(pandoc.Div({ pandoc.Para(sig) }, pandoc.Attr("", { "rolle" })))
  return pandoc.Div({ pandoc.BlockQuote(blocks) }, pandoc.Attr("", { "citat" }))
end

return M
