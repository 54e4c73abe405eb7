import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Component } from 'vue'
import type { Host } from '../../src/renderer/api/host'
import { hostKey } from '../../src/renderer/stores/job-actions'
import { useJobsStore } from '../../src/renderer/stores/jobs-store'
import type { fakeApi } from './fake-api'

/** Mounts a dashboard component with a fresh store already synced from the fake api. */
export async function mountWith(
  component: Component,
  fake: ReturnType<typeof fakeApi>,
  props: Record<string, unknown> = {},
  host: Partial<Host> = {},
) {
  const pinia = createPinia()
  setActivePinia(pinia)
  await useJobsStore().start(fake.api)
  return mount(component, {
    props,
    attachTo: document.body,
    global: { plugins: [pinia], provide: { [hostKey as symbol]: { api: fake.api, kind: 'web', ...host } } },
  })
}
