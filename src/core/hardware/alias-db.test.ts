import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupAlias, readAliasDb } from './alias-db.ts';

const files = {
  alias: [
    '# Aliases extracted from modules themselves.',
    'alias usb:v*p*d*dc*dsc*dp*ic08isc06ip50in* usb_storage',
    'alias usb:v*p*d*dc*dsc*dp*ic08isc06ip62in* uas',
    'alias usb:v*p*d*dc*dsc*dp*ic08isc06ip50in* uas',
    'alias acpi*:PNP0303:* i8042-test',
    'this line is broken',
    'alias bad]pattern foo',
    'alias platform:pc-spkr pcspkr',
  ].join('\n'),
  order: 'kernel/drivers/usb/storage/uas.ko\nkernel/drivers/usb/storage/usb-storage.ko\nkernel/drivers/input/i8042-test.ko\nkernel/drivers/input/misc/pcspkr.ko\n',
  builtin: 'kernel/drivers/rtc/rtc-cmos.ko\n',
  builtinModinfo: 'rtc_cmos.alias=platform:rtc_cmos\0rtc_cmos.file=drivers/rtc/rtc-cmos\0usb_storage.alias=usb:v*p*d*dc*dsc*dp*ic08isc06ip50in*\0',
  origin: 'tree',
};

test('every match in modules.order order, duplicates kept', () => {
  const { value: db, diagnostics } = readAliasDb(files);
  const r = lookupAlias(db, 'usb:v0781p5583d0100dc00dsc00dp00ic08isc06ip50in00');
  assert.equal(r.source, 'alias');
  assert.deepEqual(r.modules, ['uas', 'usb_storage']);
  assert.deepEqual(diagnostics.map((d) => `${d.span?.line}:${d.code}`), ['6:hardware/alias-line', '7:hardware/alias-pattern']);
});

test('built-in aliases only when no loadable module matches; - is normalised on both sides', () => {
  const { value: db } = readAliasDb(files);
  assert.deepEqual(lookupAlias(db, 'platform:rtc-cmos').modules, ['rtc_cmos']);
  assert.equal(lookupAlias(db, 'platform:rtc_cmos').source, 'builtin-alias');
  assert.deepEqual(lookupAlias(db, 'platform:pc_spkr').modules, ['pcspkr']);
  assert.deepEqual(lookupAlias(db, 'acpi:PNP0303:').modules, ['i8042_test']);
  assert.equal(lookupAlias(db, 'acpi:PNP0A03:').source, 'none');
  assert.equal(lookupAlias(db, 'uas').source, 'module-name');
  assert.equal(lookupAlias(db, 'rtc-cmos').source, 'builtin-name');
});
