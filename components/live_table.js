// The live log's table: NiceGUI's table, plus a method that puts new rows on top in the browser, so a busy
// portal sends each console only its new lines instead of the whole page of rows. A row's family cell is a
// link to the family's staff page (a real <a>, reached with Tab); its name is text ({{ }}), never markup.
export default {
  template: `
    <q-table ref="qRef" :rows="shown" :columns="columns">
      <template v-slot:body-cell-family="props">
        <q-td :props="props">
          <a v-if="props.row.family_page" :href="props.row.family_page" class="kr-link">{{ props.value }}</a>
          <template v-else>{{ props.value }}</template>
        </q-td>
      </template>
      <template v-for="(_, slot) in $slots" v-slot:[slot]="slotProps">
        <slot :name="slot" v-bind="slotProps || {}" />
      </template>
    </q-table>
  `,
  props: {
    columns: Array,
    rows: Array,
  },
  data() {
    return { shown: this.rows };
  },
  watch: {
    rows(value) {
      this.shown = value;
    },
  },
  methods: {
    prepend(rows, limit) {
      this.shown = [...rows, ...this.shown].slice(0, limit);
    },
  },
};
