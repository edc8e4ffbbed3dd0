package io.obops.chat.discord.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code multipart/form-data} body split into parts (enough for what JDA/OkHttp sends). */
final class Multipart {

  record Part(String name, String filename, String contentType, byte[] body) {}

  private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

  private Multipart() {}

  static boolean is(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  static List<Part> parse(String contentType, byte[] body) {
    int at = contentType.indexOf("boundary=");
    if (at < 0) {
      throw new IllegalArgumentException("multipart without boundary: " + contentType);
    }
    String boundary = contentType.substring(at + "boundary=".length()).replace("\"", "").trim();
    int semicolon = boundary.indexOf(';');
    if (semicolon >= 0) {
      boundary = boundary.substring(0, semicolon);
    }
    // ISO-8859-1 maps every byte to one char and back, so offsets are byte offsets.
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String delimiter = "--" + boundary;
    List<Part> parts = new ArrayList<>();
    int start = text.indexOf(delimiter);
    while (start >= 0) {
      int headersStart = start + delimiter.length();
      if (text.startsWith("--", headersStart)) {
        break;
      }
      headersStart = skipCrlf(text, headersStart);
      int headersEnd = text.indexOf("\r\n\r\n", headersStart);
      int next = text.indexOf("\r\n" + delimiter, headersEnd);
      if (headersEnd < 0 || next < 0) {
        break;
      }
      String headers = text.substring(headersStart, headersEnd);
      String name = null;
      String filename = null;
      String type = null;
      for (String line : headers.split("\r\n")) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-disposition:")) {
          Matcher n = NAME.matcher(line);
          name = n.find() ? n.group(1) : null;
          Matcher f = FILENAME.matcher(line);
          filename = f.find() ? f.group(1) : null;
        } else if (lower.startsWith("content-type:")) {
          type = line.substring("content-type:".length()).trim();
        }
      }
      byte[] partBody = text.substring(headersEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1);
      parts.add(new Part(name, filename, type, partBody));
      start = next + 2;
    }
    return parts;
  }

  private static int skipCrlf(String text, int at) {
    return text.startsWith("\r\n", at) ? at + 2 : at;
  }
}
