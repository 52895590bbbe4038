import { afterAll, describe, expect, it } from 'vitest';
import { startTestIdentityProvider, type TestIdentityProvider } from '../../api/src/testing/test-identity-provider.js';
import { expectAccessible, freePort, newPage, screenshot, tabTo, useSignpost } from './harness.js';

/**
 * OIDC sign-in from the portal: the sign-in page offers the university's own
 * sign-in when it is configured, and the person comes back signed in to where
 * they were going. The provider is a real OpenID provider (oidc-provider) on
 * loopback, as in the API's OIDC tests; the browser follows every redirect.
 */
describe('signing in to the portal with the university account (OIDC)', () => {
  let idp: TestIdentityProvider;
  const app = useSignpost(async () => {
    // The provider must know Signpost's redirect URI before Signpost starts.
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/auth/oidc/callback`;
    idp = await startTestIdentityProvider({ clientId: 'signpost', redirectUri });
    return {
      port,
      env: {
        SIGNPOST_OIDC_ISSUER: idp.issuer,
        SIGNPOST_OIDC_CLIENT_ID: idp.clientId,
        SIGNPOST_OIDC_CLIENT_SECRET: idp.clientSecret,
        SIGNPOST_OIDC_REDIRECT_URI: redirectUri,
        SIGNPOST_OIDC_ROLE_MAP: JSON.stringify({ 'signpost-hr': 'HR' }),
        SIGNPOST_OIDC_LABEL: 'Example University login',
        SIGNPOST_OIDC_ALLOW_HTTP: 'true',
      },
    };
  });
  afterAll(async () => {
    await idp?.close();
  });

  it('offers the university sign-in first, and brings the person back signed in to the page they asked for', async () => {
    idp.signInAs({ sub: 'hana-0001', email: 'hana.hr@uni.test', email_verified: true, name: 'Hana Hughes', roles: ['signpost-hr', 'all-staff'] });
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/inbox');
    await page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.get('returnTo') === '/inbox');
    const sso = page.getByRole('button', { name: 'Sign in with Example University login' });
    await sso.waitFor();
    // The password form stays, for local accounts.
    expect(await page.getByLabel('Email address').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Or sign in with a Signpost password' }).isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'sign-in-oidc');

    await tabTo(page, sso);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/inbox', { timeout: 30_000 });
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.locator('.sp-header__who').textContent()).toContain('Hana Hughes');
    // An HR person's navigation: their referrals and nothing else.
    expect(await page.locator('.govuk-service-navigation__link').allTextContents()).toEqual(['Referrals']);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('says why when the provider vouches for someone Signpost gives no role, and leaves them signed out', async () => {
    idp.signInAs({ sub: 'nora-0002', email: 'nora@uni.test', email_verified: true, name: 'Nora None', roles: ['all-staff'] });
    const { page, context } = await newPage(app.browser, app.signpost.url);
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in with Example University login' }).click();
    await page.waitForURL((u) => u.pathname === '/auth/oidc/callback');
    expect(await page.locator('body').textContent()).toContain('gives you no role in Signpost');
    await page.getByRole('link', { name: 'Back to Signpost' }).click();
    await page.waitForURL((u) => u.pathname === '/sign-in');
    await context.close();
  });
});
