-- Spaces that never break: a number and its per cent sign (`45 %`) and an N and its value
-- (`N = 38`) stay on one line in every format. The report writes them with a non-breaking
-- space (U+00A0) where it can; text from data ("44 % / næsten 45 %") may have an ordinary
-- one, which pandoc reads as a Space between two Str: it becomes U+00A0 here.

local NBSP = "\u{A0}"

local M = {}

local function is_space(inline)
  return inline ~= nil and (inline.t == "Space" or inline.t == "SoftBreak")
end

local function text_of(inline)
  return inline ~= nil and inline.t == "Str" and inline.text or nil
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
      else
        i = i + 1
      end
    else
      i = i + 1
    end
  end
  return changed and inlines or nil
end

return M
