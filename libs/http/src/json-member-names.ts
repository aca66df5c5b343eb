/**
 * Whether a JSON text names one member twice in the same object (`{"a":1,"a":2}`, `"a"` and
 * `"\u0061"` included). JSON.parse keeps the last; another reader of the same bytes (a proxy, an
 * audit, a log) may keep the first, so such a body means two things and is refused. The text is
 * scanned as it is, without recursion; a malformed text may answer either way, and the parser
 * refuses it afterwards anyway.
 */
export function repeatsMemberName(text: string): boolean {
  // One entry per open object (its member names so far) or array (undefined).
  const scopes: (Set<string> | undefined)[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '{') scopes.push(new Set());
    else if (char === '[') scopes.push(undefined);
    else if (char === '}' || char === ']') scopes.pop();
    else if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const names = scopes.at(-1);
      if (names && nextNonBlank(text, end + 1) === ':') {
        const name = decodedString(text.slice(index, end + 1));
        if (names.has(name)) return true;
        names.add(name);
      }
      index = end;
    }
  }
  return false;
}

function nextNonBlank(text: string, from: number): string {
  let index = from;
  while (index < text.length && /[ \t\n\r]/.test(text.charAt(index))) index += 1;
  return text.charAt(index);
}

function decodedString(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted;
  }
}
