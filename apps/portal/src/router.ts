import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import type { Permission } from '@signpost/policy';
import { whenSignedOut } from './apollo.js';
import { can, loadSession, session } from './session.js';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's title, for <title> and the heading's announcement. */
    title?: string;
    /** Open without signing in. */
    public?: boolean;
    /** Any one of these permissions opens the page. */
    needs?: Permission[];
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { title: 'Sign in', public: true } },
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { title: 'Home' } },
    { path: '/register', name: 'register', component: () => import('./pages/RegisterPage.vue'), meta: { title: 'Register', needs: ['group.readInternal'] } },
    { path: '/groups/new', name: 'group-new', component: () => import('./pages/GroupNewPage.vue'), meta: { title: 'Record a sighting', needs: ['group.create'] } },
    { path: '/groups/:id/edit', name: 'group-edit', component: () => import('./pages/GroupEditPage.vue'), meta: { title: "Change the group's details", needs: ['group.update'] } },
    { path: '/groups/:id', name: 'group', component: () => import('./pages/GroupPage.vue'), meta: { title: 'Group', needs: ['group.readInternal'] } },
    {
      path: '/groups/:id/administrators/new',
      name: 'administrator-new',
      component: () => import('./pages/AdministratorFormPage.vue'),
      meta: { title: 'Add an administrator', needs: ['administrator.write'] },
    },
    {
      path: '/groups/:id/administrators/:administratorId/edit',
      name: 'administrator-edit',
      component: () => import('./pages/AdministratorFormPage.vue'),
      meta: { title: 'Change an administrator', needs: ['administrator.write'] },
    },
    {
      path: '/groups/:id/contacts/new',
      name: 'contact-new',
      component: () => import('./pages/ContactFormPage.vue'),
      meta: { title: 'Log a contact', needs: ['contact.write'] },
    },
    {
      path: '/groups/:id/wording/new',
      name: 'wording-new',
      component: () => import('./pages/WordingFormPage.vue'),
      meta: { title: 'Propose wording', needs: ['wording.propose'] },
    },
    {
      path: '/inbox',
      name: 'inbox',
      component: () => import('./pages/InboxPage.vue'),
      meta: { title: 'Referrals', needs: ['referral.acknowledge'] },
    },
    { path: '/referrals/:id', name: 'referral', component: () => import('./pages/ReferralPage.vue'), meta: { title: 'Referral', needs: ['referral.read'] } },
    {
      path: '/groups/:id/concerns/new',
      name: 'concern-new',
      component: () => import('./pages/ConcernFormPage.vue'),
      meta: { title: 'Record a concern', needs: ['concern.record'] },
    },
    {
      path: '/groups/:id/escalations/new',
      name: 'escalation-new',
      component: () => import('./pages/EscalationFormPage.vue'),
      meta: { title: 'Draft an escalation', needs: ['escalation.draft'] },
    },
    { path: '/escalations/:id', name: 'escalation', component: () => import('./pages/EscalationPage.vue'), meta: { title: 'Escalation', needs: ['escalation.read'] } },
    {
      path: '/groups/:id/placements/:placement',
      name: 'placement-record',
      component: () => import('./pages/PlacementFormPage.vue'),
      meta: { title: 'Record a placement', needs: ['placement.record'] },
    },
    {
      path: '/groups/:id/logo',
      name: 'logo-record',
      component: () => import('./pages/LogoFormPage.vue'),
      meta: { title: 'Record the university logo', needs: ['logo.record'] },
    },
    {
      path: '/groups/:id/reviews/new',
      name: 'review-new',
      component: () => import('./pages/ReviewFormPage.vue'),
      meta: { title: 'Record a review', needs: ['review.record'] },
    },
    {
      path: '/groups/:id/referrals/new',
      name: 'referral-new',
      component: () => import('./pages/ReferralDraftFormPage.vue'),
      meta: { title: 'Draft a referral', needs: ['referral.draft'] },
    },
    {
      path: '/referrals/:id/edit',
      name: 'referral-edit',
      component: () => import('./pages/ReferralDraftFormPage.vue'),
      meta: { title: 'Change the draft referral', needs: ['referral.draft'] },
    },
    { path: '/audit', name: 'audit', component: () => import('./pages/AuditPage.vue'), meta: { title: 'Audit trail', needs: ['audit.read'] } },
    { path: '/admin/users', name: 'users', component: () => import('./pages/UsersPage.vue'), meta: { title: 'Users', needs: ['user.manage'] } },
    { path: '/admin/users/new', name: 'user-new', component: () => import('./pages/UserNewPage.vue'), meta: { title: 'Add a person', needs: ['user.manage'] } },
    { path: '/admin/users/:id/roles', name: 'user-roles', component: () => import('./pages/UserRolesPage.vue'), meta: { title: 'Change roles', needs: ['user.manage'] } },
    { path: '/admin/users/:id/disable', name: 'user-disable', component: () => import('./pages/UserDisablePage.vue'), meta: { title: 'Disable a person', needs: ['user.manage'] } },
    {
      path: '/admin/service-clients',
      name: 'service-clients',
      component: () => import('./pages/ServiceClientsPage.vue'),
      meta: { title: 'Service clients', needs: ['serviceClient.manage'] },
    },
    {
      path: '/admin/service-clients/new',
      name: 'service-client-new',
      component: () => import('./pages/ServiceClientNewPage.vue'),
      meta: { title: 'Create a service client', needs: ['serviceClient.manage'] },
    },
    {
      path: '/admin/service-clients/:id/revoke',
      name: 'service-client-revoke',
      component: () => import('./pages/ServiceClientRevokePage.vue'),
      meta: { title: 'Revoke a service client', needs: ['serviceClient.manage'] },
    },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: 'Page not found', public: true } },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

/** Where to come back to after signing in: only a path of our own. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/sign-in') ? value : '/';
}

router.beforeEach(async (to: RouteLocationNormalized) => {
  if (!session.checked) await loadSession().catch(() => null);
  if (to.meta.public) return true;
  if (!session.me) return { name: 'sign-in', query: { returnTo: to.fullPath } };
  // A page the roles do not open reads as one that does not exist.
  if (to.meta.needs && !to.meta.needs.some((p) => can(p))) return { name: 'not-found', params: { rest: to.path.slice(1).split('/') } };
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title ?? 'Signpost'} – Signpost`;
});

// A session that expires mid-work: back to sign in, then to where the person was.
whenSignedOut(() => {
  const here = router.currentRoute.value;
  // Only a person who was signed in can lose their session; before that, the guard above sends them to sign in.
  if (!session.me || here.meta.public) return;
  session.me = null;
  void router.replace({ name: 'sign-in', query: { returnTo: here.fullPath, expired: '1' } });
});
