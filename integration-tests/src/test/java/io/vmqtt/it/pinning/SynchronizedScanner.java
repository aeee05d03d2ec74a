package io.vmqtt.it.pinning;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the keyword {@code synchronized} (a modifier or a statement) in Java source, skipping
 * comments, string and character literals and text blocks; {@code synchronizedList} and the like
 * are identifiers, not the keyword. Good enough for our own sources, which compile: it does not
 * parse Java, it only knows where code is not.
 *
 * <p>Stateless.
 */
final class SynchronizedScanner {
  private static final String KEYWORD = "synchronized";

  private SynchronizedScanner() {}

  /** The 1-based line numbers where the keyword is used, in order. */
  static List<Integer> lines(String source) {
    List<Integer> lines = new ArrayList<>();
    int line = 1;
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (source.startsWith("//", i)) {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        line += count(source, i, end);
        i = end;
      } else if (source.startsWith("\"\"\"", i)) {
        int end = endOfTextBlock(source, i + 3);
        line += count(source, i, end);
        i = end;
      } else if (c == '"' || c == '\'') {
        i = endOfLiteral(source, i + 1, c);
      } else if (Character.isJavaIdentifierStart(c)) {
        int start = i;
        while (i < n && Character.isJavaIdentifierPart(source.charAt(i))) {
          i++;
        }
        if (source.regionMatches(start, KEYWORD, 0, KEYWORD.length())
            && i - start == KEYWORD.length()) {
          lines.add(line);
        }
      } else {
        i++;
      }
    }
    return lines;
  }

  private static int endOfTextBlock(String source, int from) {
    int i = from;
    while (i < source.length()) {
      if (source.charAt(i) == '\\') {
        i += 2;
      } else if (source.startsWith("\"\"\"", i)) {
        return i + 3;
      } else {
        i++;
      }
    }
    return source.length();
  }

  /** After the closing quote of a string or char literal; literals do not span lines. */
  private static int endOfLiteral(String source, int from, char quote) {
    int i = from;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote || c == '\n') {
        return c == quote ? i + 1 : i;
      } else {
        i++;
      }
    }
    return source.length();
  }

  private static int count(String source, int from, int to) {
    int lines = 0;
    for (int i = from; i < to; i++) {
      if (source.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
