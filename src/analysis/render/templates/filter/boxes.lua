-- Boxes: `::: {.boks}`, `::: {.eksempel}`, `::: {.definition}`; a first paragraph that is
-- all bold, a `[…]{.titel}` span, a `.titel` div, a heading or a `title` attribute is the
-- box's title. In typst a box is a `kpb-boks` call (design.typ); in HTML a div of class `boks`
-- with the role of a note.

local typst = require("filter.typst")

local BOX_CLASSES = { "boks", "eksempel", "definition" }

local M = {}

local function only_strong(inlines)
  local strong = nil
  for _, inline in ipairs(inlines) do
    if inline.t == "Strong" and strong == nil then
      strong = inline
    elseif inline.t ~= "Space" and inline.t ~= "SoftBreak" and inline.t ~= "LineBreak" then
      return nil
    end
  end
  return strong and strong.content or nil
end

-- The box's title (inlines) and its remaining blocks.
local function box_title(div)
  local blocks = pandoc.Blocks(div.content)
  if div.attributes.title and div.attributes.title ~= "" then
    return pandoc.Inlines { pandoc.Str(div.attributes.title) }, blocks
  end
  local first = blocks[1]
  if first == nil then
    return nil, blocks
  end
  if first.t == "Header" then
    blocks:remove(1)
    return first.content, blocks
  end
  if first.t == "Div" and (first.classes:includes("titel")
      or first.classes:includes("admonition-title")) then
    blocks:remove(1)
    return pandoc.utils.blocks_to_inlines(first.content), blocks
  end
  if first.t == "Para" or first.t == "Plain" then
    local strong = only_strong(first.content)
    if strong then
      blocks:remove(1)
      return strong, blocks
    end
    local lead = first.content[1]
    if lead and lead.t == "Span" and lead.classes:includes("titel") then
      local rest = pandoc.Inlines(first.content)
      rest:remove(1)
      while rest[1] and (rest[1].t == "Space" or rest[1].t == "SoftBreak") do
        rest:remove(1)
      end
      if #rest > 0 then
        blocks[1] = pandoc.Para(rest)
      else
        blocks:remove(1)
      end
      return lead.content, blocks
    end
  end
  return nil, blocks
end

-- The box class of a div, or nil.
function M.kind(div)
  for _, class in ipairs(BOX_CLASSES) do
    if div.classes:includes(class) then
      return class
    end
  end
  return nil
end

-- A box div in the format being written.
function M.div(div, kind)
  local title, blocks = box_title(div)
  if typst.active() then
    local args = "kind: " .. typst.string(kind)
    if title then
      args = args .. ", title: [" .. typst.inlines(title) .. "]"
    end
    return typst.call("kpb-boks", args, blocks)
  end
  local content = pandoc.Blocks {}
  if title then
    content:insert(pandoc.Div({ pandoc.Para(title) }, pandoc.Attr("", { "boks-titel" })))
  end
  content:extend(blocks)
  div.content = content
  if kind ~= "boks" and not div.classes:includes("boks") then
    div.classes:insert("boks")
  end
  div.attributes.role = "note"
  return div
end

return M
