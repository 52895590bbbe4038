import { createApp, provide, h } from 'vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import './styles.scss';
import App from './App.vue';
import { apollo } from './apollo.js';
import { router } from './router.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');

createApp({
  setup() {
    provide(DefaultApolloClient, apollo);
  },
  render: () => h(App),
})
  .use(router)
  .mount('#app');
