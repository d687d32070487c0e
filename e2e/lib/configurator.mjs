// Page object for /configure: addresses elements by data-testid, waits on events, never sleeps.
import { appReady } from './browser.mjs';

export class Configurator {
  constructor(page) { this.page = page; }

  async open(query = '') {
    await this.page.goto(`/configure${query}`);
    await appReady(this.page);
    await this.page.getByTestId('price-total').waitFor();
    await this.page.waitForURL(/[?&]c=/);
  }

  card(code) { return this.page.getByTestId(`choice-${code}`); }

  /** Picks a choice and waits until the URL carries the new car. */
  async pick(code) {
    const before = this.page.url();
    await this.card(code).click();
    await this.page.waitForURL((url) => url.toString() !== before);
  }

  async status(code) { return this.card(code).getAttribute('data-status'); }
  async total() { return (await this.page.getByTestId('price-total').innerText()).trim(); }
  async goStep(slug) {
    await this.page.getByTestId(`step-${slug}`).click();
    await this.page.waitForURL(new RegExp(`step=${slug}`));
  }
  /** Clicks a button of the price bar; on a phone it first opens the bar's one-row form. */
  async bar(testid) { await barButton(this.page, testid); }
  code() { return new URL(this.page.url()).searchParams.get('c'); }
  step() { return new URL(this.page.url()).searchParams.get('step'); }
}

/** A price-bar button (Save, Share, ...): on a phone the bar is one row and opens on tap. */
export async function barButton(page, testid) {
  const button = page.getByTestId(testid);
  if (!(await button.isVisible()) && (await page.getByTestId('bar-toggle').isVisible())) {
    await page.getByTestId('bar-toggle').click();
  }
  await button.click();
}
