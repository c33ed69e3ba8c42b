/** What the product page needs of a variant to offer its options. */
export type Choosable = { sku: string; options: Record<string, string>; inStock: boolean };

/** One of a product's options ("colour") with its values in the order the variants give them. */
export type OptionGroup = {
  name: string;
  label: string;
  values: Array<{ value: string; soldOut: boolean }>;
};

/**
 * The option groups of `variants`, with `chosen` (a variant's options) selected: a value is sold
 * out when no variant in stock has it together with the other chosen values.
 */
export function optionGroups(
  variants: readonly Choosable[],
  chosen: Record<string, string>,
): OptionGroup[] {
  const names = [...new Set(variants.flatMap((variant) => Object.keys(variant.options)))];
  return names.map((name) => ({
    name,
    label: name.charAt(0).toUpperCase() + name.slice(1),
    values: [...new Set(variants.map((variant) => variant.options[name]))]
      .filter((value) => value !== undefined)
      .map((value) => ({
        value,
        soldOut: !variants.some(
          (variant) => variant.inStock && matches(variant, { ...chosen, [name]: value }),
        ),
      })),
  }));
}

/**
 * The variant to show after the shopper picks `value` of option `name`: the one with the other
 * chosen values if there is one in stock, else the first in stock with `value`, else any with it.
 */
export function variantAfterChoice<T extends Choosable>(
  variants: readonly T[],
  chosen: Record<string, string>,
  name: string,
  value: string,
): T | undefined {
  const wanted = { ...chosen, [name]: value };
  const withValue = variants.filter((variant) => variant.options[name] === value);
  return (
    withValue.find((variant) => variant.inStock && matches(variant, wanted)) ??
    withValue.find((variant) => variant.inStock) ??
    withValue.find((variant) => matches(variant, wanted)) ??
    withValue[0]
  );
}

/** The variant a product page opens on: the first in stock, else the first. */
export function firstChoice<T extends Choosable>(variants: readonly T[]): T | undefined {
  return variants.find((variant) => variant.inStock) ?? variants[0];
}

function matches(variant: Choosable, chosen: Record<string, string>): boolean {
  return Object.entries(chosen).every(([name, value]) => variant.options[name] === value);
}
