import { describe, expect, it } from "vitest";
import { clientAddressKey } from "./rate-limit";

describe("clientAddressKey", () => {
  it("keeps an IPv4 address whole", () => {
    expect(clientAddressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientAddressKey(" 203.0.113.7 ")).toBe("203.0.113.7");
  });

  it("counts an IPv6 address by its /64, however it is written", () => {
    const key = "2001:db8:0:1::/64";
    expect(clientAddressKey("2001:db8:0:1::1")).toBe(key);
    expect(clientAddressKey("2001:0DB8:0000:0001:ffff:ffff:ffff:ffff")).toBe(key);
    expect(clientAddressKey("2001:db8:0:1:a:b:c:d")).toBe(key);
    expect(clientAddressKey("2001:db8:0:2::1")).not.toBe(key);
    expect(clientAddressKey("::1")).toBe("0:0:0:0::/64");
  });

  it("keeps IPv4-mapped and unparsable addresses whole, and shares one budget without an address", () => {
    expect(clientAddressKey("::ffff:203.0.113.7")).toBe("::ffff:203.0.113.7");
    expect(clientAddressKey("1::2::3")).toBe("1::2::3");
    expect(clientAddressKey(undefined)).toBe("unknown");
    expect(clientAddressKey("")).toBe("unknown");
  });
});
