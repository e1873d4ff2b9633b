-- Spaces that never break: a number and its per cent sign (`45 %`), an N and its value
-- (`N = 38`), a count and its whole (`28 af 44`) and a reference and its number (`kapitel 3`,
-- `figur 2`) stay on one line in every format. The report writes them with a non-breaking
-- space (U+00A0) where it can; text from data ("44 % / næsten 45 %") may have an ordinary
-- one, which pandoc reads as a Space between two Str: it becomes U+00A0 here. The values the
-- notebooks print keep their plain spaces; only the rendered text is bound.

local typst = require("filter.typst")

local NBSP = "\u{A0}"

-- In HTML, a word joined to a per cent sign by a hyphen (»95 %-interval«) stands in a span
-- of this class, which is not divided at its hyphen (report.css); in typst design.typ's show
-- rule keeps it whole. So does a word whose explicit hyphen has only one or two letters or
-- digits on one side (»p-værdien«, »Covid-19«): divided there, it would leave »p-« alone at
-- a line's end.
local WHOLE_CLASS = "hel"

-- whether a word (a Str, with the punctuation around it) has a part of one or two letters
-- or digits before its first hyphen or after its last (ASCII: the short parts the report
-- writes, »p«, »e«, »IT«, »19«; a leading »(« or »»« and closing punctuation are passed
-- over, nothing else: a target such as »(kap-x)=« is not a word)
local function has_short_part(text)
  if text:find("=", 1, true) then
    return false
  end
  return text:match("^[%(\194\187]*%w%w?%-[%w\128-\255]") ~= nil
    or text:match("[%w\128-\255]%-%w%w?[%.,;:!?%)\194\171\187]*$") ~= nil
end

local M = {}

local function is_space(inline)
  return inline ~= nil and (inline.t == "Space" or inline.t == "SoftBreak")
end

local function text_of(inline)
  return inline ~= nil and inline.t == "Str" and inline.text or nil
end

-- the words that name a numbered part of the report, bound to the number after them
local REFERENCE_WORDS = {
  kapitel = true, figur = true, tabel = true, bilag = true, afsnit = true,
}

local function is_reference_word(text)
  return text ~= nil and REFERENCE_WORDS[text:lower()] == true
end

local function starts_with_digit(text)
  return text ~= nil and text:match("^%(?%d") ~= nil
end

M.NBSP = NBSP

-- A reference word's Space before a number in a link's text (`kapitel 3`, whose number the
-- crossrefs step writes after this filter's Inlines step has run) made non-breaking: the
-- inlines, changed in place.
function M.bind_reference(inlines)
  for i = 2, #inlines - 1 do
    if is_space(inlines[i]) and is_reference_word(text_of(inlines[i - 1]))
        and starts_with_digit(text_of(inlines[i + 1])) then
      inlines[i] = pandoc.Str(NBSP)
    end
  end
  return inlines
end

-- The filter's Inlines step: the inlines with those spaces made non-breaking, or nil when
-- there were none.
function M.inlines(inlines)
  local changed = false
  local i = 1
  while i <= #inlines do
    local text = text_of(inlines[i])
    local after = text_of(inlines[i + 2])
    if text and after and is_space(inlines[i + 1]) then
      if text:match("%d$") and after:match("^%%") then
        -- "45" "%" -> "45 %"
        inlines[i] = pandoc.Str(text .. NBSP .. after)
        inlines:remove(i + 2)
        inlines:remove(i + 1)
        changed = true
      elseif text:match("^%(?N$") and after == "=" and is_space(inlines[i + 3])
          and (text_of(inlines[i + 4]) or ""):match("^%d") then
        -- "N" "=" "38" -> "N = 38"
        inlines[i] = pandoc.Str(text .. NBSP .. "=" .. NBSP .. inlines[i + 4].text)
        for _ = 1, 4 do
          inlines:remove(i + 1)
        end
        changed = true
      elseif text:match("%d$") and after == "af" and is_space(inlines[i + 3])
          and starts_with_digit(text_of(inlines[i + 4])) then
        -- "28" "af" "44" -> "28 af 44"
        inlines[i] = pandoc.Str(text .. NBSP .. "af" .. NBSP .. inlines[i + 4].text)
        for _ = 1, 4 do
          inlines:remove(i + 1)
        end
        changed = true
      elseif is_reference_word(text) and text:match("^%l") and starts_with_digit(after) then
        -- (in running text: a caption's or a heading's »Tabel 1.« starts its line)
        -- "kapitel" "3" -> "kapitel 3"
        inlines[i] = pandoc.Str(text .. NBSP .. after)
        inlines:remove(i + 2)
        inlines:remove(i + 1)
        changed = true
      else
        i = i + 1
      end
    else
      i = i + 1
    end
  end
  if not typst.active() then
    for j, inline in ipairs(inlines) do
      if inline.t == "Str" and (inline.text:match("%%%-%a") or has_short_part(inline.text)) then
        inlines[j] = pandoc.Span({ inline }, pandoc.Attr("", { WHOLE_CLASS }))
        changed = true
      end
    end
  end
  return changed and inlines or nil
end

return M
