"""Code replies: one fenced block in the language asked for (Python when none is named), a function
named after what the prompt wants done, framed by a sentence before and after, as chat models do."""

from __future__ import annotations

import re

from .grammar import capitalise
from .pieces import Draw, Template, Writer, templates
from .reading import Prompt

_LETTERS = re.compile(r"[A-Za-z]+")
_PURPOSE = re.compile(r"\b(?:that|which|to|for|and)\s+(?P<p>[^.?!\n]+)", re.IGNORECASE)
_SKIP = {"a", "an", "the", "my", "your", "our", "given", "of", "in", "into", "from", "with", "some", "all", "each",
         "it", "them", "this", "that", "who", "which", "where", "when", "whose", "are", "is", "python", "javascript",
         "typescript", "java", "function", "code", "script", "sql", "query"}
def _code(source: str) -> tuple[Template]:
    """A code template: its braces are code, its slots are written «name»."""
    escaped = source.replace("{", "{{").replace("}", "}}")
    return (Template(re.sub(r"«(\w+)»", r"{\1}", escaped)),)


_CODE = {
    "python": _code('```python\ndef «name»(«param»):\n    """«Purpose»."""\n    result = []\n    for item in «param»:'
                        '\n        result.append(item)\n    return result\n\n\nprint(«name»([1, 2, 3]))\n```'),
    "javascript": _code("```javascript\nfunction «camel»(«param») {\n  // «Purpose»\n  const result = [];\n"
                            "  for (const item of «param») {\n    result.push(item);\n  }\n  return result;\n}\n\n"
                            "console.log(«camel»([1, 2, 3]));\n```"),
    "typescript": _code("```typescript\nexport function «camel»<T>(«param»: T[]): T[] {\n  // «Purpose»\n"
                            "  const result: T[] = [];\n  for (const item of «param») {\n    result.push(item);\n  }\n"
                            "  return result;\n}\n```"),
    "jsx": _code("```jsx\nexport function «Pascal»({ items }) {\n  // «Purpose»\n  return (\n    <ul>\n"
                     "      {items.map((item) => (\n        <li key={item.id}>{item.name}</li>\n      ))}\n"
                     "    </ul>\n  );\n}\n```"),
    "java": _code("```java\npublic static <T> List<T> «camel»(List<T> «param») {\n    // «Purpose»\n"
                      "    List<T> result = new ArrayList<>();\n    for (T item : «param») {\n"
                      "        result.add(item);\n    }\n    return result;\n}\n```"),
    "go": _code("```go\n// «Pascal» does this: «purpose».\nfunc «Pascal»(«param» []string) []string {\n"
                    "\tresult := make([]string, 0, len(«param»))\n\tfor _, item := range «param» {\n"
                    "\t\tresult = append(result, item)\n\t}\n\treturn result\n}\n```"),
    "rust": _code("```rust\n/// «Purpose».\nfn «name»<T: Clone>(«param»: &[T]) -> Vec<T> {\n"
                      "    «param».iter().cloned().collect()\n}\n```"),
    "csharp": _code("```csharp\n// «Purpose»\npublic static List<T> «Pascal»<T>(IEnumerable<T> «param»)\n{\n"
                        "    var result = new List<T>();\n    foreach (var item in «param»)\n    {\n"
                        "        result.Add(item);\n    }\n    return result;\n}\n```"),
    "cpp": _code("```cpp\n// «Purpose»\ntemplate <typename T>\nstd::vector<T> «name»(const std::vector<T>& «param») {\n"
                     "    std::vector<T> result;\n    for (const auto& item : «param») {\n        result.push_back(item);\n"
                     "    }\n    return result;\n}\n```"),
    "kotlin": _code("```kotlin\n// «Purpose»\nfun <T> «camel»(«param»: List<T>): List<T> =\n"
                        "    «param».map { it }\n```"),
    "swift": _code("```swift\n// «Purpose»\nfunc «camel»<T>(_ «param»: [T]) -> [T] {\n    return «param».map { $0 }\n}\n```"),
    "php": _code("```php\n<?php\n// «Purpose»\nfunction «name»(array $«param»): array\n{\n"
                     "    return array_map(fn($item) => $item, $«param»);\n}\n```"),
    "ruby": _code("```ruby\n# «Purpose»\ndef «name»(«param»)\n  «param».map { |item| item }\nend\n```"),
    "bash": _code("```bash\n#!/usr/bin/env bash\n# «Purpose»\nset -euo pipefail\n\n«name»() {\n"
                      '  for item in "$@"; do\n    echo "$item"\n  done\n}\n\n«name» "$@"\n```'),
    "sql": _code("```sql\n-- «Purpose»\nSELECT «alias».id, «alias».name, «alias».created_at\nFROM «table» AS «alias»\n"
                     "WHERE «alias».created_at >= CURRENT_DATE - INTERVAL '30 days'\nORDER BY «alias».created_at DESC\n"
                     "LIMIT 100;\n```"),
    "html": _code('```html\n<section class="«kebab»">\n  <h2>«Title»</h2>\n  <p>«Purpose».</p>\n'
                      '  <button type="button">Learn more</button>\n</section>\n```'),
    "css": _code("```css\n.«kebab» {\n  display: flex;\n  gap: 1rem;\n  padding: 1.5rem;\n"
                     "  border-radius: 0.5rem;\n  background: #ffffff;\n}\n```"),
    "yaml": _code("```yaml\n«name»:\n  enabled: true\n  description: «Purpose»\n  retries: 3\n```"),
    "json": _code('```json\n{\n  "id": "«kebab»-001",\n  "name": "«Title»",\n  "description": "«Purpose»",\n'
                      '  "active": true\n}\n```'),
}
_LANGUAGE_NAMES = {"csharp": "C#", "cpp": "C++", "jsx": "React", "javascript": "JavaScript", "typescript": "TypeScript",
                   "php": "PHP", "sql": "SQL", "html": "HTML", "css": "CSS", "json": "JSON", "yaml": "YAML"}
_INTROS = templates("Here is {a_what} in {Language} that {purpose_verb}:", "Sure! Here's {a_what} in {Language}:",
                    "Here's a simple version in {Language}:")
_OUTROS = templates("It keeps things simple and easy to extend; adapt the names to your code base.",
                    "You can adjust the details to fit your project. Let me know if you want tests for it.",
                    "Let me know if you would like me to explain any part or add error handling.")


def code(prompt: Prompt, draw: Draw) -> Writer:
    """One fenced code block in the language asked for, between an intro line and a closing remark."""
    language = prompt.language if prompt.language in _CODE else "python"
    purpose = _purpose(prompt)
    words = [w for w in _LETTERS.findall(purpose.lower()) if w not in _SKIP][:3] or ["process", "items"]
    words[0] = _base_verb(words[0])
    nouns = words[1:] or ["items"]
    table = next((w for w in nouns if w.endswith("s")), nouns[0] + "s")
    what = {"sql": "a query", "jsx": "a component", "html": "a snippet", "css": "a snippet", "yaml": "a snippet",
            "json": "an example"}.get(language, "a function")
    values = {
        "name": "_".join(words), "camel": words[0] + "".join(w.capitalize() for w in words[1:]),
        "Pascal": "".join(w.capitalize() for w in words), "kebab": "-".join(words), "param": _param(nouns),
        "Purpose": capitalise(purpose), "purpose": purpose, "Title": " ".join(w.capitalize() for w in words),
        "table": table, "alias": table[0],
        "Language": _LANGUAGE_NAMES.get(language, language.capitalize()), "a_what": what,
        "purpose_verb": _third_person(purpose),
    }
    out = Writer()
    out.add(draw.choice(_INTROS), values)
    out.add(_CODE[language][0], values, "\n\n")
    out.add(draw.choice(_OUTROS), values, "\n\n")
    return out


def _purpose(prompt: Prompt) -> str:
    found = _PURPOSE.search(prompt.text)
    text = found["p"] if found else prompt.subject
    return " ".join(text.split()[:10]).strip(" ,;:") or "processes a list of items"


def _base_verb(word: str) -> str:
    """'reverses' → 'reverse', 'fetches' → 'fetch', 'sorting' stays: a function name's verb."""
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _third_person(purpose: str) -> str:
    """'reverse a string' → 'reverses a string' (the intro says what the function does)."""
    first, _, rest = purpose.partition(" ")
    if first.endswith("s") or not first.isalpha() or not first.islower():
        return purpose
    verb = first + ("es" if first.endswith(("ch", "sh", "x", "z", "s")) else "s")
    return f"{verb} {rest}".strip()


def _param(nouns: list[str]) -> str:
    noun = nouns[-1]
    return noun if noun.endswith("s") else "values" if noun in ("list", "array") else noun
