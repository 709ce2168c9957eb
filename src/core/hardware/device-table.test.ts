import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDefine, type Macro } from './c-preprocess.ts';
import { extractFileAliases } from './device-table.ts';

// Tiny stand-ins for the kernel's header macros (written for this test, same shapes as the kernel's).
const headers = new Map<string, Macro>(
  [
    'PCI_ANY_ID (~0)',
    'PCI_DEVICE(vend,dev) .vendor = (vend), .device = (dev), .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID',
    'PCI_VDEVICE(vend, dev) .vendor = PCI_VENDOR_ID_##vend, .device = (dev), .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID, 0, 0',
    'PCI_DEVICE_CLASS(dev_class,dev_class_mask) .class = (dev_class), .class_mask = (dev_class_mask), .vendor = PCI_ANY_ID, .device = PCI_ANY_ID, .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID',
    'PCI_VENDOR_ID_INTEL 0x8086',
    'USB_DEVICE_ID_MATCH_VENDOR 0x0001',
    'USB_DEVICE_ID_MATCH_PRODUCT 0x0002',
    'USB_DEVICE_ID_MATCH_DEV_LO 0x0004',
    'USB_DEVICE_ID_MATCH_DEV_HI 0x0008',
    'USB_DEVICE_ID_MATCH_INT_CLASS 0x0080',
    'USB_DEVICE_ID_MATCH_DEVICE (USB_DEVICE_ID_MATCH_VENDOR | USB_DEVICE_ID_MATCH_PRODUCT)',
    'USB_DEVICE_ID_MATCH_DEV_RANGE (USB_DEVICE_ID_MATCH_DEV_LO | USB_DEVICE_ID_MATCH_DEV_HI)',
    'USB_DEVICE(vend, prod) .match_flags = USB_DEVICE_ID_MATCH_DEVICE, .idVendor = (vend), .idProduct = (prod)',
    'USB_DEVICE_VER(vend, prod, lo, hi) .match_flags = USB_DEVICE_ID_MATCH_DEVICE | USB_DEVICE_ID_MATCH_DEV_RANGE, .idVendor = (vend), .idProduct = (prod), .bcdDevice_lo = (lo), .bcdDevice_hi = (hi)',
    'USB_INTERFACE_INFO(cl, sc, pr) .match_flags = 0x0380, .bInterfaceClass = (cl), .bInterfaceSubClass = (sc), .bInterfaceProtocol = (pr)',
    'HID_USB_DEVICE(ven, prod) .bus = BUS_USB, .vendor = (ven), .product = (prod)',
    'BUS_USB 0x03',
    'DMI_MATCH(a, b) { .slot = a, .substr = b }',
    'X86_VENDOR_AMD 2',
    'X86_FEATURE_AES (4*32+25)',
  ].map((d) => [parseDefine(d)!.name, parseDefine(d)!.macro]),
);
headers.set('DMI_SYS_VENDOR', parseDefine('DMI_SYS_VENDOR 6')!.macro);
headers.set('DMI_PRODUCT_NAME', parseDefine('DMI_PRODUCT_NAME 7')!.macro);

function extract(source: string, files: Record<string, string> = {}): Record<string, string[]> {
  const all: Record<string, string> = { 'drivers/x/x.c': source, ...files };
  const r = extractFileAliases('drivers/x/x.c', { readFile: (p) => all[p], globalMacro: (n) => headers.get(n) }, undefined);
  return Object.fromEntries(r.tables.map((t) => [t.name, [...t.aliases]]).concat([['explicit', [...r.explicit]]]));
}

test('pci tables: PCI_DEVICE, PCI_VDEVICE with token pasting, class matches, the terminator dropped', () => {
  const r = extract(`
#define MY_DEV(d) { PCI_VDEVICE(INTEL, d), .driver_data = 7 }
static const struct pci_device_id ids[] = {
	{ PCI_DEVICE(0x1af4, 0x1041) },
	MY_DEV(0x1234),
	{ PCI_DEVICE_CLASS(0x010601, ~0) },
	{ 0x10ec, 0x8139, PCI_ANY_ID, PCI_ANY_ID, 0, 0, 0 },
	{ }
};
MODULE_DEVICE_TABLE(pci, ids);
MODULE_ALIAS("platform:" "x-driver");
`);
  assert.deepEqual(r.ids, [
    'pci:v00001AF4d00001041sv*sd*bc*sc*i*',
    'pci:v00008086d00001234sv*sd*bc*sc*i*',
    'pci:v*d*sv*sd*bc01sc06i01*',
    'pci:v000010ECd00008139sv*sd*bc*sc*i*',
  ]);
  assert.deepEqual(r.explicit, ['platform:x-driver']);
});

test('usb tables: bcdDevice ranges become character classes as in do_usb_entry_multi()', () => {
  const r = extract(`
static struct usb_device_id __maybe_unused ids[] = {
	{ USB_DEVICE(0x0781, 0x5583) },
	{ USB_DEVICE_VER(0x04e8, 0x5122, 0x0000, 0x9999) },
	{ USB_DEVICE_VER(0x054c, 0x0010, 0x0106, 0x0450) },
	{ USB_INTERFACE_INFO(8, 6, 0x50) },
	{}
};
MODULE_DEVICE_TABLE(usb, ids);
`);
  // 0x0106-0x0450 → 0106-0109, 011x-019x, 02xx-03xx, 040x-044x, 0450 (modpost's order).
  assert.deepEqual(r.ids, [
    'usb:v0781p5583d*dc*dsc*dp*ic*isc*ip*in*',
    'usb:v04E8p5122d*dc*dsc*dp*ic*isc*ip*in*',
    'usb:v054Cp0010d010[6-9]dc*dsc*dp*ic*isc*ip*in*',
    'usb:v054Cp0010d0450dc*dsc*dp*ic*isc*ip*in*',
    'usb:v054Cp0010d01[1-9]*dc*dsc*dp*ic*isc*ip*in*',
    'usb:v054Cp0010d04[0-4]*dc*dsc*dp*ic*isc*ip*in*',
    'usb:v054Cp0010d0[2-3]*dc*dsc*dp*ic*isc*ip*in*',
    'usb:v*p*d*dc*dsc*dp*ic08isc06ip50in*',
  ]);
});

test('acpi, pnp, of, hid, dmi, x86cpu and platform tables; #if with CONFIG_ and a local header', () => {
  const r = extract(
    `
#include "ids.h"
static const struct acpi_device_id acpi_ids[] = { { "PNP0501", 0 }, { "" } };
MODULE_DEVICE_TABLE(acpi, acpi_ids);
static const struct pnp_device_id pnp_ids[] = { { .id = "PNP0303", .driver_data = 0 }, { .id = "" } };
MODULE_DEVICE_TABLE(pnp, pnp_ids);
static const struct of_device_id of_ids[] = { { .compatible = "acme,widget v2" }, {} };
MODULE_DEVICE_TABLE(of, of_ids);
static const struct hid_device_id hid_ids[] = { { HID_USB_DEVICE(VENDOR, 0x0304) }, { } };
MODULE_DEVICE_TABLE(hid, hid_ids);
static const struct dmi_system_id dmi_ids[] = {
	{ .ident = "x", .matches = { DMI_MATCH(DMI_SYS_VENDOR, "PC Engines"), DMI_MATCH(DMI_PRODUCT_NAME, "APU:2") } },
	{}
};
MODULE_DEVICE_TABLE(dmi, dmi_ids);
static const struct x86_cpu_id cpu_ids[] = { { .vendor = X86_VENDOR_AMD, .family = 0x19, .feature = X86_FEATURE_AES }, {} };
MODULE_DEVICE_TABLE(x86cpu, cpu_ids);
static const struct platform_device_id plat_ids[] = {
#ifdef CONFIG_X86
	{ "rtc_cmos", 0 },
#else
	{ "never", 0 },
#endif
	{ }
};
MODULE_DEVICE_TABLE(platform, plat_ids);
`,
    { 'drivers/x/ids.h': '#define VENDOR 0x05ac\n' },
  );
  assert.deepEqual(r.acpi_ids, ['acpi*:PNP0501:*']);
  assert.deepEqual(r.pnp_ids, ['pnp:dPNP0303*', 'acpi*:PNP0303:*']);
  assert.deepEqual(r.of_ids, ['of:N*T*Cacme,widget_v2', 'of:N*T*Cacme,widget_v2C*']);
  assert.deepEqual(r.hid_ids, ['hid:b0003g*v000005ACp00000304']);
  assert.deepEqual(r.dmi_ids, ['dmi*:svn*PCEngines*:pn*APU2*:']);
  assert.deepEqual(r.cpu_ids, ['cpu:type:x86,ven0002fam0019mod*:feature:*0099*']);
  assert.deepEqual(r.plat_ids, ['platform:rtc_cmos']);
});
