package io.obops.remote;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** IP literals: strict validation (never a DNS lookup) and their spelling in /proc/net/tcp{,6}. */
final class IpAddresses {

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private IpAddresses() {}

  static InetAddress requireLiteral(String ip) {
    if (ip == null
        || !(IPV4.matcher(ip).matches() || (ip.contains(":") && IPV6.matcher(ip).matches()))) {
      throw new IllegalArgumentException(
          "invalid IP address " + RemoteHost.printable(ip) + " (an IP literal is required)");
    }
    try {
      return InetAddress.getByName(ip); // a literal: parsed, not resolved
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid IP address " + RemoteHost.printable(ip), e);
    }
  }

  /**
   * The local addresses under which a socket listening for {@code ip} appears in /proc/net/tcp and
   * /proc/net/tcp6: the wildcards and the address itself (IPv4 also as IPv4-mapped IPv6), each
   * 32-bit word printed in host (little-endian) byte order as the kernel does.
   */
  static String procNetAlternatives(String ip) {
    byte[] address = requireLiteral(ip).getAddress();
    StringBuilder sb = new StringBuilder("00000000|00000000000000000000000000000000");
    if (address.length == 4) {
      String v4 = procWords(address);
      sb.append('|').append(v4).append("|0000000000000000FFFF0000").append(v4);
    } else {
      sb.append('|').append(procWords(address));
    }
    return sb.toString();
  }

  private static String procWords(byte[] address) {
    byte[] swapped = new byte[address.length];
    for (int word = 0; word < address.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        swapped[word + i] = address[word + 3 - i];
      }
    }
    return HexFormat.of().withUpperCase().formatHex(swapped);
  }
}
