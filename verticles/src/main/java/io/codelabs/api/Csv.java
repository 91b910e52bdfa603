package io.codelabs.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * RFC 4180 text: CRLF line ends, a cell quoted when it holds a quote, comma or line break, quotes
 * doubled. A cell a spreadsheet would take for a formula (starting with =, +, -, @, tab or CR) is
 * prefixed with an apostrophe, so attendee-typed text never runs as one.
 */
final class Csv {
  private Csv() {
  }

  static String table(List<List<Object>> rows) {
    StringBuilder text = new StringBuilder();
    for (List<Object> row : rows) {
      text.append(row.stream().map(Csv::cell).collect(Collectors.joining(","))).append("\r\n");
    }
    return text.toString();
  }

  static String cell(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    if (text.contains("\"") || text.contains(",") || text.contains("\n") || text.contains("\r")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }
}
